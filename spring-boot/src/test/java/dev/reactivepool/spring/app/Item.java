package dev.reactivepool.spring.app;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A row of the test application's table. */
@Table("item")
public record Item(@Id Long id, String name) {
}

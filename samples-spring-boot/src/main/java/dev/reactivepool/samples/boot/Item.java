package dev.reactivepool.samples.boot;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A catalogue item, a row of table {@code item}. */
@Table("item")
public record Item(@Id Long id, String name) {
}

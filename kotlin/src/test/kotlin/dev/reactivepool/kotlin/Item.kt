package dev.reactivepool.kotlin

import java.util.concurrent.atomic.AtomicInteger

/** A pooled test object that knows how many blocks hold it now, to catch sharing. */
class Item(val id: Int) {
    val holders = AtomicInteger()

    override fun toString(): String = "item $id"
}

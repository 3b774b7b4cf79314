/** {@code bert4j bench ...}: throughput benchmarks over the library's benchmark entry points. */
package io.github.bert4j.examples.bench;

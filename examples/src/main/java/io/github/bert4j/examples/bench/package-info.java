/**
 * {@code bert4j bench ...}: throughput benchmarks over the workloads in the modules' test jars
 * ({@code BertBenchmark}, {@code NerBenchmark}, {@code TokenizerBenchmark}; not in the library
 * jars), optionally side by side with PyTorch in a {@code -Pbench} build ({@code PyTorchComparison}).
 */
package io.github.bert4j.examples.bench;

/**
 * Apache Spark jobs over bert4j (Spark 3.5, Scala 2.12, provided by the cluster): {@link
 * io.github.bert4j.spark.SparkPrepare} (WordPiece vocabulary counted across partitions and token
 * shards in the bert module's format, equal to the single-machine ones), {@link
 * io.github.bert4j.spark.SparkTagger} and {@link io.github.bert4j.spark.SparkEncoder} (NER tagging
 * and text embedding with one model per executor thread, the output of {@code bert4j tag} and
 * {@code bert4j encode}) and {@link io.github.bert4j.spark.SparkPretrainer} / {@link
 * io.github.bert4j.spark.SparkNerFineTuning} over {@link io.github.bert4j.spark.SparkGradients}
 * (synchronous data-parallel training: broadcast parameters, per-partition gradients, {@code
 * treeAggregate}, the optimizer step on the driver). {@link io.github.bert4j.spark.HadoopSupport}
 * says what works on which Java. Spark does the distribution; nothing below this module knows Spark.
 */
package io.github.bert4j.spark;

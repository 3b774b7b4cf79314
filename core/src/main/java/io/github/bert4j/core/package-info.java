/** Configuration, corpora, run tracking, the SameDiff training loop and checkpoints. */
package io.github.bert4j.core;

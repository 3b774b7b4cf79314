/** bert4j tokenizer. */
package io.github.bert4j.tokenizer;

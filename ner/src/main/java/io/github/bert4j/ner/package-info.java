/** bert4j ner. */
package io.github.bert4j.ner;

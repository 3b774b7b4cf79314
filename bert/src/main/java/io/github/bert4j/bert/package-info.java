/** bert4j bert. */
package io.github.bert4j.bert;

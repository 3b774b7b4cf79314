/** bert4j examples. */
package io.github.bert4j.examples;

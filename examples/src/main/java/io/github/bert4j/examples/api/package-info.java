/**
 * The README's API examples as compiled code: each class holds one README block between
 * {@code // README:begin} and {@code // README:end}, with exactly the imports it needs, and
 * {@code ReadmeSnippetsTest} checks that the README shows them as they are here (and runs them).
 */
package io.github.bert4j.examples.api;

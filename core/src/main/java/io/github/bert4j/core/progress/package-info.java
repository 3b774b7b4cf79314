/** Console progress bars for long-running jobs, silent in tests and CI. */
package io.github.bert4j.core.progress;

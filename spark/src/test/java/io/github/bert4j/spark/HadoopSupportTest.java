package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Spark 3.5's Hadoop client does on this Java, checked against Hadoop itself: if a Hadoop or
 * Spark upgrade ever makes file access work on Java 24+, the second test fails and the limitation
 * (and the tests skipped for it) can go.
 */
class HadoopSupportTest {

    @TempDir
    Path tmp;

    @Test
    @EnabledForJreRange(max = JRE.JAVA_22)
    void hadoopFileSystemsWorkUpToJava22() throws Exception {
        assertThat(HadoopSupport.subjectLookupWorks()).isTrue();
        assertThatCode(() -> HadoopSupport.requireFileSystem("job")).doesNotThrowAnyException();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(tmp.toUri());
        assertThat(p.getFileSystem(new Configuration()).exists(p)).isTrue();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_24)
    void fromJava24HadoopCannotOpenAFileSystemAndTheFileJobsSayWhy() {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(tmp.toUri());
        assertThatThrownBy(() -> p.getFileSystem(new Configuration())).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("getSubject");
        assertThat(HadoopSupport.subjectLookupWorks()).isFalse();
        assertThatThrownBy(() -> HadoopSupport.requireFileSystem("bert4j spark tag"))
                .isInstanceOf(HadoopSupport.UnsupportedJavaException.class)
                .hasMessageStartingWith("bert4j spark tag reads and writes its files through Hadoop")
                .hasMessageContaining("Java " + Runtime.version().feature())
                .hasMessageContaining("run it on Java 17 to 22");
    }
}

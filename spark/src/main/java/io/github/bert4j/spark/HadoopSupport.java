package io.github.bert4j.spark;

/**
 * What Spark 3.5's Hadoop client (3.3.4) can do on the running JVM. Hadoop's {@code
 * UserGroupInformation.getCurrentUser} reads the current user through {@code
 * javax.security.auth.Subject.getSubject}, which always throws {@code
 * UnsupportedOperationException} on Java 24 and later (JEP 486) and on Java 23 unless the JVM runs
 * with {@code -Djava.security.manager=allow}; Hadoop replaced the call in 3.4.2 (HADOOP-19212),
 * which Spark 3.5 does not use. Two things need that lookup:
 * <ul>
 *   <li>Spark's own user name, unless the environment variable {@code SPARK_USER} names it (the
 *       {@code bin/bert4j} launcher sets it on Java 23+; so do the tests);</li>
 *   <li>every Hadoop {@code FileSystem} access ({@code textFile}, {@code saveAsTextFile}), with no
 *       way around it: the file jobs ({@code tagFile}, {@code encodeFile}) need Java 17 to 22 (or
 *       23 with the option above). Data preparation and data-parallel training read and write their
 *       files with {@code java.nio} and run on any Java 17+, as do the RDD and DataFrame APIs.</li>
 * </ul>
 */
public final class HadoopSupport {

    private HadoopSupport() {
    }

    /** Whether {@code Subject.getSubject} works here, i.e. whether Hadoop can tell the current user. */
    @SuppressWarnings("removal")
    public static boolean subjectLookupWorks() {
        try {
            javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Fails, saying why and what to do, when {@code job} cannot read or write files through Hadoop
     * on this JVM.
     *
     * @throws UnsupportedJavaException on Java 24+ (and 23 without {@code -Djava.security.manager=allow})
     */
    public static void requireFileSystem(String job) {
        if (!subjectLookupWorks()) {
            throw new UnsupportedJavaException(job + " reads and writes its files through Hadoop's FileSystem, and the"
                    + " Hadoop 3.3 client of Spark 3.5 asks Subject.getSubject for the current user, which Java "
                    + Runtime.version().feature() + " does not support (Java 24+ never, Java 23 only with"
                    + " -Djava.security.manager=allow); run it on Java 17 to 22 (JAVA_HOME; Spark 3.5 is documented for 17), or read the input"
                    + " yourself and use the RDD/DataFrame API, which works on any Java");
        }
    }

    /**
     * Fails, saying what to do, when Spark would have to ask Hadoop for the user name ({@code
     * SPARK_USER} unset) and Hadoop cannot tell it on this JVM.
     */
    static void requireUserName() {
        String user = System.getenv("SPARK_USER");
        if ((user == null || user.isEmpty()) && !subjectLookupWorks()) {
            throw new UnsupportedJavaException("Spark 3.5 asks Hadoop for the user name unless the environment variable"
                    + " SPARK_USER is set, and Hadoop's lookup (Subject.getSubject) does not work on Java "
                    + Runtime.version().feature() + ": set SPARK_USER (e.g. SPARK_USER=$(id -un); bin/bert4j does this)");
        }
    }

    /** A job that Spark 3.5 cannot run on this Java version; the message says what to do instead. */
    public static final class UnsupportedJavaException extends UnsupportedOperationException {
        private static final long serialVersionUID = 1L;

        UnsupportedJavaException(String message) {
            super(message);
        }
    }
}

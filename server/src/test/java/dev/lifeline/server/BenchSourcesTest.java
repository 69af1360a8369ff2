package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks in bench/ are run from source: they must compile against the code they measure. */
class BenchSourcesTest {
    private static final Path BENCH = Path.of("..", "bench");

    @Test
    void everyBenchmarkCompilesAgainstTheServerItMeasures(@TempDir Path classes) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(BENCH)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(sources).isNotEmpty();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("-proc:none", "-classpath", classpath, "-d", classes.toString());
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            compiled = javac.getTask(
                            diagnostics, files, null, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
        }

        assertThat(compiled).as(diagnostics.toString()).isTrue();
    }
}

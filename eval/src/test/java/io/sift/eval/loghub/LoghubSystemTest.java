package io.sift.eval.loghub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoghubSystemTest {

    @TempDir
    Path dir;

    @Test
    void readsContentAndTemplateColumnsWithQuotedCommasAndQuotes() throws Exception {
        Path system = Files.createDirectories(dir.resolve("Tiny"));
        Files.writeString(system.resolve("Tiny_2k.log_structured_corrected.csv"), """
                LineId,Level,Content,EventId,EventTemplate
                1,INFO,"Total usable vcpus: 16, total allocated vcpus: 1",E1,"Total usable vcpus: <*>, total allocated vcpus: <*>"
                2,INFO,"10.11.10.1 ""GET /v2/x HTTP/1.1"" status: 200",E2,"<*> ""GET <*>"" status: <*>"
                3,WARN,plain line,E3,plain line
                """);
        List<LoghubSystem> systems = LoghubSystem.discover(dir);
        assertEquals(1, systems.size());
        LoghubSystem tiny = systems.get(0);
        assertEquals("Tiny", tiny.name());
        assertEquals(List.of("Total usable vcpus: 16, total allocated vcpus: 1",
                "10.11.10.1 \"GET /v2/x HTTP/1.1\" status: 200", "plain line"), tiny.contents());
        assertEquals("<*> \"GET <*>\" status: <*>", tiny.templates().get(1));
    }

    @Test
    void fallsBackToTheUncorrectedGroundTruthWhenThereIsNoCorrectedFile() throws Exception {
        Path corrected = Files.createDirectories(dir.resolve("A"));
        Files.writeString(corrected.resolve("A_2k.log_structured_corrected.csv"), "Content,EventTemplate\nx 1,x <*>\n");
        Files.writeString(corrected.resolve("A_2k.log_structured.csv"), "Content,EventTemplate\nx 1,x 1\n");
        Path uncorrected = Files.createDirectories(dir.resolve("B"));
        Files.writeString(uncorrected.resolve("B_2k.log_structured.csv"), "Content,EventTemplate\ny 2,y <*>\n");
        Files.createDirectories(dir.resolve("NotASystem"));
        List<LoghubSystem> systems = LoghubSystem.discover(dir);
        assertEquals(List.of("A", "B"), systems.stream().map(LoghubSystem::name).toList());
        assertEquals(List.of("x <*>"), systems.get(0).templates());
        assertEquals(List.of(true, false), systems.stream().map(LoghubSystem::corrected).toList());
    }

    @Test
    void refusesAFolderWithoutSystems() {
        assertThrows(IllegalArgumentException.class, () -> LoghubSystem.discover(dir));
    }
}

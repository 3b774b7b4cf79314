package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerStateTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsIncludingNonFiniteScheduleValues() throws IOException {
        Map<String, Double> schedule = new LinkedHashMap<>();
        schedule.put("current_lr", 1e-4);
        schedule.put("best", Double.NaN);
        schedule.put("bad_observations", 0.0);
        TrainerState s = TrainerState.initial(TrainingConfig.defaults(), "abc")
                .at(12, 1, 5, schedule, 3000)
                .withBest(0.75, 10, Map.of("valid_loss", 0.75, "valid_acc", Double.POSITIVE_INFINITY))
                .withTracking(new TrainerState.Interval(1.25, 8, 64, 0.5, 1, Map.of("accuracy", java.util.List.of(6.0, 8.0))),
                        "0123456789abcdef0123456789abcdef");
        Path f = dir.resolve("trainer_state.json");
        s.write(f);
        TrainerState back = TrainerState.read(f);
        assertThat(back).isEqualTo(s);
        assertThat(back.schedule().get("best")).isNaN();
        assertThat(Files.readString(f)).contains("\"batch_in_epoch\" : 5").contains("\"config_hash\" : \"abc\"");
    }

    @Test
    void readsVersionOneStatesWithoutIntervalOrRunId() throws IOException {
        Path f = dir.resolve("trainer_state.json");
        Files.writeString(f, """
                {"format_version": 1, "step": 12, "epoch": 1, "batch_in_epoch": 5, "schedule": {},
                 "best_metric": "valid_loss", "best_value": null, "best_step": -1, "best_metrics": {},
                 "seed": 42, "config_hash": "abc", "tokens_seen": 3000}
                """);
        TrainerState s = TrainerState.read(f);
        assertThat(s.step()).isEqualTo(12);
        assertThat(s.interval()).isEqualTo(TrainerState.Interval.EMPTY);
        assertThat(s.runId()).isNull();
        assertThat(s.formatVersion()).isEqualTo(TrainerState.FORMAT_VERSION);
    }

    @Test
    void rejectsMalformedStates() throws IOException {
        Path f = dir.resolve("trainer_state.json");
        TrainerState.initial(TrainingConfig.defaults(), "abc").write(f);
        String ok = Files.readString(f);
        Files.writeString(f, ok.replace("\"step\" : 0", "\"step\" : -3"));
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("negative position");
        Files.writeString(f, ok.replace("\"format_version\" : 2", "\"format_version\" : 9"));
        assertThatThrownBy(() -> TrainerState.read(f)).hasMessageContaining("format_version 9");
        Files.writeString(f, "");
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class);
        Files.writeString(f, ok + "}");
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class);
    }
}

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
                .withBest(0.75, 10, Map.of("valid_loss", 0.75, "valid_acc", Double.POSITIVE_INFINITY));
        Path f = dir.resolve("trainer_state.json");
        s.write(f);
        TrainerState back = TrainerState.read(f);
        assertThat(back).isEqualTo(s);
        assertThat(back.schedule().get("best")).isNaN();
        assertThat(Files.readString(f)).contains("\"batch_in_epoch\" : 5").contains("\"config_hash\" : \"abc\"");
    }

    @Test
    void rejectsMalformedStates() throws IOException {
        Path f = dir.resolve("trainer_state.json");
        TrainerState.initial(TrainingConfig.defaults(), "abc").write(f);
        String ok = Files.readString(f);
        Files.writeString(f, ok.replace("\"step\" : 0", "\"step\" : -3"));
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("negative position");
        Files.writeString(f, ok.replace("\"format_version\" : 1", "\"format_version\" : 9"));
        assertThatThrownBy(() -> TrainerState.read(f)).hasMessageContaining("format_version 9");
        Files.writeString(f, "");
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class);
        Files.writeString(f, ok + "}");
        assertThatThrownBy(() -> TrainerState.read(f)).isInstanceOf(CheckpointException.class);
    }
}

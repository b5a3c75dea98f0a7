package dev.imdbstream.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingJobTest {

    private static TrainingJob job(String jobId, String experimentId, String variant, String datasetId) {
        return new TrainingJob(TrainingJob.VERSION, jobId, experimentId, datasetId, variant, 100, 1,
                Hyperparameters.notebook(), 0);
    }

    @Test
    void shouldAcceptAJobWhoseIdIsMadeOfItsParts() {
        TrainingJob ok = job("exp-1.glove-frozen.n100.s1", "exp-1", "glove-frozen", "imdb-v1-abc");
        assertThat(ok.validated()).isSameAs(ok);
    }

    @Test
    void shouldRefuseIdsThatWouldLeaveAFolderOrBreakALabel() {
        assertThatThrownBy(() -> job("...random.n100.s1", "..", "random", "d").validated())
                .hasMessageContaining("experiment id '..' does not match");
        assertThatThrownBy(() -> job("../x.random.n100.s1", "../x", "random", "d").validated())
                .hasMessageContaining("experiment id '../x'");
        assertThatThrownBy(() -> job("e.random.n100.s1", "e", "random", "../../etc").validated())
                .hasMessageContaining("data set id");
        assertThatThrownBy(() -> job("e.x\"y.n100.s1", "e", "x\"y", "d").validated()).hasMessageContaining("variant");
        assertThatThrownBy(() -> job("../../reports/e.random.n100.s1", "e", "random", "d").validated())
                .hasMessageContaining("is not e.random.n100.s1");
        assertThatThrownBy(() -> job(null, "e", "random", "d").validated()).hasMessageContaining("job id null");
    }

    @Test
    void shouldShowUntrustedValuesShortAndWithoutControlCharacters() {
        assertThat(Ids.shown("a\nb")).isEqualTo("'a\\u000ab'");
        assertThat(Ids.shown("x".repeat(200))).hasSize(85);
    }
}

package dev.imdbstream.common.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SubsetPlanTest {

    @Test
    void shouldDrawExactlyTheSubsetSizeOutsideValidation() {
        SubsetPlan plan = SubsetPlan.of(25_000, 2_000, 500, 7);
        long training = IntStream.range(0, 25_000).filter(plan::isTraining).count();
        long validation = IntStream.range(0, 25_000).filter(plan::isValidation).count();
        assertThat(training).isEqualTo(500);
        assertThat(validation).isEqualTo(2_000);
        assertThat(IntStream.range(0, 25_000).filter(i -> plan.isTraining(i) && plan.isValidation(i))).isEmpty();
    }

    @Test
    void shouldBeReproducibleAndNestedPerSeed() {
        SubsetPlan small = SubsetPlan.of(25_000, 2_000, 100, 3);
        SubsetPlan again = SubsetPlan.of(25_000, 2_000, 100, 3);
        SubsetPlan large = SubsetPlan.of(25_000, 2_000, 1_000, 3);
        for (int i = 0; i < 25_000; i++) {
            assertThat(again.isTraining(i)).isEqualTo(small.isTraining(i));
            if (small.isTraining(i)) {
                assertThat(large.isTraining(i)).isTrue();
                assertThat(large.drawRank(i)).isEqualTo(small.drawRank(i));
            }
        }
    }

    @Test
    void shouldDrawBalancedSubsetsNestedPerSeedOutsideValidation() {
        // Labels sorted as in the archive would be, then 70% positive: a plain draw would not come out 50/50.
        IntUnaryOperator label = i -> i % 10 < 7 ? 1 : 0;
        SubsetPlan small = SubsetPlan.balanced(25_000, 2_000, 100, 2, label);
        SubsetPlan large = SubsetPlan.balanced(25_000, 2_000, 1_000, 2, label);
        for (SubsetPlan plan : new SubsetPlan[] {small, large}) {
            int[] drawn = IntStream.range(0, 25_000).filter(plan::isTraining).toArray();
            assertThat(Arrays.stream(drawn).filter(i -> label.applyAsInt(i) == 1).count()).isEqualTo(drawn.length / 2);
            assertThat(Arrays.stream(drawn).filter(plan::isValidation)).isEmpty();
            assertThat(Arrays.stream(drawn).map(plan::drawRank).sorted().toArray())
                    .isEqualTo(IntStream.range(0, drawn.length).toArray());
        }
        for (int i = 0; i < 25_000; i++) {
            if (small.isTraining(i)) {
                assertThat(large.isTraining(i)).isTrue();
                assertThat(large.drawRank(i)).isEqualTo(small.drawRank(i));
            }
        }
        SubsetPlan odd = SubsetPlan.balanced(25_000, 2_000, 7, 2, label);
        assertThat(IntStream.range(0, 25_000).filter(odd::isTraining).map(odd::drawRank).sorted().toArray())
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(IntStream.range(0, 23_000).filter(odd::isTraining).filter(i -> label.applyAsInt(i) == 1).count())
                .isEqualTo(4);
        assertThatThrownBy(() -> SubsetPlan.balanced(100, 10, 80, 1, i -> 1)).hasMessageContaining("label 0");
    }

    @Test
    void shouldDrawDifferentSubsetsForDifferentSeeds() {
        SubsetPlan a = SubsetPlan.of(25_000, 2_000, 100, 1);
        SubsetPlan b = SubsetPlan.of(25_000, 2_000, 100, 2);
        long shared = IntStream.range(0, 25_000).filter(i -> a.isTraining(i) && b.isTraining(i)).count();
        assertThat(shared).isLessThan(10);
    }

    @Test
    void shouldRejectImpossibleDraws() {
        assertThatThrownBy(() -> SubsetPlan.of(1_000, 900, 200, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot draw 200");
    }
}

package io.rewardgate.jobs;

import java.io.IOException;
import java.util.List;
import java.util.function.LongPredicate;

import io.rewardgate.jobs.Batch.Status;

/**
 * The output and error files of a batch that ends, whichever store recorded its answers: the output holds the
 * answers with scores, the error file the answers with errors and, for a batch that did not complete, a line
 * for each request it did not answer. Each is written durably before the store lets go of its own copy.
 */
public final class Outputs {

    private Outputs() {}

    /** The files written: their ids, {@code null} for a file that would be empty (OpenAI gives none then). */
    public record Written(String outputId, String errorId) {}

    /** Visits every recorded answer of a batch, in the order recorded. */
    @FunctionalInterface
    public interface Answers {
        void forEach(AnswerSink sink) throws IOException;
    }

    /** Sees one recorded answer: whether it has scores, and its output line. */
    @FunctionalInterface
    public interface AnswerSink {
        void accept(boolean ok, String output) throws IOException;
    }

    /**
     * Writes both files of {@code batch}.
     *
     * @param answered whether the input line of that number was answered
     * @param unrecorded where the lines a failed batch did not answer are listed, the first
     *     {@link BatchRules#maxErrors()} of them
     */
    public static Written write(FileStore files, Batch batch, Answers answers, LongPredicate answered,
            List<Batch.LineError> unrecorded) {
        String id = batch.id();
        StoredFile output = files.write(Ids.file(id, "output"), id + "_output.jsonl", StoredFile.BATCH_OUTPUT,
                batch.owner(), sink -> answers.forEach((ok, line) -> {
                    if (ok) {
                        sink.accept(line);
                    }
                }));
        // A batch cancelled while it was validating never took its lines on: it has none to list.
        boolean unanswered = batch.ending() != Status.COMPLETED && batch.requestCounts().total() > 0;
        StoredFile errors = files.write(Ids.file(id, "error"), id + "_error.jsonl", StoredFile.BATCH_OUTPUT,
                batch.owner(), sink -> {
                    answers.forEach((ok, line) -> {
                        if (!ok) {
                            sink.accept(line);
                        }
                    });
                    if (unanswered) {
                        try (LineReader lines = files.lines(batch.inputFileId())) {
                            for (String text = lines.next(); text != null; text = lines.next()) {
                                if (!text.isBlank() && !answered.test(lines.number())) {
                                    sink.accept(BatchRules.unanswered(text, batch.ending()));
                                    if (batch.ending() == Status.FAILED && unrecorded.size() < BatchRules.maxErrors()) {
                                        unrecorded.add(BatchRules.notAnswered((int) lines.number()));
                                    }
                                }
                            }
                        }
                    }
                });
        return new Written(files.keptIfAny(output), files.keptIfAny(errors));
    }
}

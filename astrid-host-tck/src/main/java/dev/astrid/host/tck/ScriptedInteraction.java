package dev.astrid.host.tck;

import dev.astrid.host.spi.services.Answer;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.ApprovalRequest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.Question;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * An {@link Interaction} that answers from a script, for tests: answers by question key, approval
 * decisions in order (then {@link ApprovalDecision#DENY}), and a mode in which every question
 * blocks until the asking thread is interrupted, as a person who never answers. It records what
 * it was asked.
 */
public final class ScriptedInteraction implements Interaction {
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Deque<ApprovalDecision> decisions = new ArrayDeque<>();
    private final List<Question> questions = new CopyOnWriteArrayList<>();
    private final List<ApprovalRequest> approvals = new CopyOnWriteArrayList<>();
    private final CountDownLatch asked = new CountDownLatch(1);
    private volatile boolean silent;

    /** Answers a question key with one value. */
    public ScriptedInteraction answer(String key, String value) {
        answers.put(key, Answer.of(value));
        return this;
    }

    /** Answers a question key with several values. */
    public ScriptedInteraction answer(String key, List<String> values) {
        answers.put(key, new Answer(values));
        return this;
    }

    /** Queues the decisions of the next approvals, in order. */
    public synchronized ScriptedInteraction decide(ApprovalDecision... next) {
        decisions.addAll(List.of(next));
        return this;
    }

    /** From now on, every question and approval waits until its thread is interrupted. */
    public ScriptedInteraction silent() {
        this.silent = true;
        return this;
    }

    /** The questions asked so far, in order. */
    public List<Question> questions() {
        return List.copyOf(questions);
    }

    /** The approvals asked for so far, in order. */
    public List<ApprovalRequest> approvals() {
        return List.copyOf(approvals);
    }

    /** Waits until the first question or approval arrives (a hang guard applies in the caller). */
    public boolean awaitAsked(java.time.Duration patience) throws InterruptedException {
        return asked.await(patience.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Answer> ask(Question question) throws InterruptedException {
        questions.add(question);
        asked.countDown();
        holdIfSilent();
        return Optional.ofNullable(answers.get(question.key()));
    }

    @Override
    public ApprovalDecision approve(ApprovalRequest request) throws InterruptedException {
        approvals.add(request);
        asked.countDown();
        holdIfSilent();
        synchronized (this) {
            ApprovalDecision d = decisions.poll();
            return d == null ? ApprovalDecision.DENY : d;
        }
    }

    private void holdIfSilent() throws InterruptedException {
        if (silent) {
            new CountDownLatch(1).await();
        }
    }
}

package dev.lifeline.store;

import static dev.lifeline.store.StoreCalls.call;

import dev.lifeline.core.Activity;
import dev.lifeline.core.ActivityQuery;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.StoredActivity;
import dev.lifeline.core.WorkspaceId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail of an embedded deployment, in a key-value file of its own beside the H2 database
 * (H2's MVStore used directly, without SQL or transactions): one ordered map from (workspace, time,
 * id) to the row, and each caller's last call. The proxy leaves a row for every call, and as a row of
 * an indexed, transactional table (five B-trees, each insert and commit copying their pages) it cost
 * a call more CPU than the rest of the lane's own work; here it is one B-tree entry (BENCHMARKS.md).
 * The map holds each row as the bytes it is written in, not as an {@link Activity}: what the file
 * keeps in memory of the rows it wrote (the page being filled, the page cache) is then one array a
 * row rather than a score of objects, which every young collection would otherwise copy; only
 * {@link #select} decodes.
 *
 * <p>It keeps the table's contract: a row's workspace must exist (the database is asked once per
 * workspace, then remembered, since workspace rows are never deleted by Lifeline), and reads ask again,
 * forgetting the trail of a workspace whose row is gone, as the table's {@code ON DELETE CASCADE} did.
 * Each batch is written to the file before {@link #record} returns. Rows of a database that kept
 * them in {@code activity_logs} are moved here when the journal opens.
 */
final class ActivityJournal implements AuditTrail {
    private static final String NEXT_ID = "next_id";
    private static final int ADOPTED_PER_BATCH = 1_000;
    private static final int CACHE_MIB = 4;
    private static final int COMPACT_FILL_RATE = 50;
    private static final int COMPACT_BYTES = 16 << 20;
    private static final int CLOSE_COMPACT_MS = 200;

    private final MVStore file;
    private final MVMap<Key, byte[]> rows;
    /** Encodes a row before it goes into {@link #rows}; used only while holding this journal's lock. */
    private final WriteBuffer encoder = new WriteBuffer(1_024);
    /** A caller's id (the {@code source_id} of its calls) → when it last called, in microseconds. */
    private final MVMap<String, Long> callers;

    private final MVMap<String, Long> counters;
    private final Jdbi jdbi;
    private final Set<WorkspaceId> known = ConcurrentHashMap.newKeySet();
    private long nextId;

    private ActivityJournal(MVStore file, Jdbi jdbi) {
        this.file = file;
        this.jdbi = jdbi;
        this.rows = file.openMap(
                "activity", new MVMap.Builder<Key, byte[]>().keyType(Key.TYPE).valueType(Row.TYPE));
        this.callers = file.openMap(
                "callers",
                new MVMap.Builder<String, Long>()
                        .keyType(StringDataType.INSTANCE)
                        .valueType(LongDataType.INSTANCE));
        this.counters = file.openMap(
                "counters",
                new MVMap.Builder<String, Long>()
                        .keyType(StringDataType.INSTANCE)
                        .valueType(LongDataType.INSTANCE));
        Long next = counters.get(NEXT_ID);
        this.nextId = next == null ? 1 : next;
        file.commit(); // a new file's maps exist from here on, so undoing a failed batch keeps them
    }

    /**
     * Opens the journal in {@code path} (in memory when null) for the database behind {@code jdbi},
     * and moves into it the rows that database's {@code activity_logs} still holds.
     *
     * @throws StoreException if the file cannot be opened (another process holds it) or read
     */
    static ActivityJournal open(@Nullable Path path, Jdbi jdbi) {
        MVStore.Builder builder = new MVStore.Builder().autoCommitDisabled().cacheSize(CACHE_MIB);
        if (path != null) {
            builder.fileName(path.toString());
        }
        ActivityJournal journal = guarded("open the activity journal", () -> new ActivityJournal(builder.open(), jdbi));
        try {
            journal.adoptTableRows();
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    /** Stores the batch whole or, when any of it fails, none of it: its rows put so far are undone. */
    @Override
    public synchronized void record(List<Activity> activities) {
        requireKnown(activities);
        long first = nextId;
        try {
            guarded("record activity", () -> {
                for (Activity a : activities) {
                    put(nextId++, a);
                }
                counters.put(NEXT_ID, nextId);
                return file.commit();
            });
        } catch (RuntimeException e) {
            nextId = first;
            undoUncommitted(e);
            throw e;
        }
    }

    /** Reverts what was put since the last commit; a file that failed so far that it closed has nothing to revert. */
    private void undoUncommitted(RuntimeException cause) {
        try {
            file.rollback();
        } catch (MVStoreException | IllegalStateException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public List<StoredActivity> select(ActivityQuery query) {
        if (!exists(query.workspaceId(), "read activity")) {
            return List.of();
        }
        return guarded("read activity", () -> {
            List<StoredActivity> found = new ArrayList<>(Math.min(query.limit(), 100));
            Cursor<Key, byte[]> newestFirst =
                    rows.cursor(Key.last(query.workspaceId()), Key.first(query.workspaceId()), true);
            while (found.size() < query.limit() && newestFirst.hasNext()) {
                Key key = newestFirst.next();
                Activity a = Row.decode(ByteBuffer.wrap(newestFirst.getValue()));
                if (selects(query, a)) {
                    found.add(new StoredActivity(key.id(), a));
                }
            }
            return found;
        });
    }

    @Override
    public Optional<Instant> lastAt(WorkspaceId id) {
        return guarded("read last activity", () -> {
            long last = Long.MIN_VALUE;
            Key newest = rows.floorKey(Key.last(id));
            if (newest != null && newest.isOf(id)) {
                last = newest.micros();
            }
            Long asCaller = callers.get(id.toString());
            if (asCaller != null) {
                last = Math.max(last, asCaller);
            }
            return last == Long.MIN_VALUE ? Optional.<Instant>empty() : Optional.of(instant(last));
        });
    }

    /**
     * Walks the workspaces' trails in turn, each from its oldest row; a caller repeats it until it
     * deletes less than {@code limit}. A caller's last call older than the cutoff is forgotten too.
     * Then part-empty chunks of the file (left by deleting, and by new rows rewriting the newest
     * pages) are rewritten, while rows are being recorded, until at least half of the file is live.
     */
    @Override
    public int deleteOlderThan(Instant cutoff, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        int deleted = deleteRows(micros(cutoff), limit);
        guarded("delete old activity", () -> file.compact(COMPACT_FILL_RATE, COMPACT_BYTES));
        return deleted;
    }

    private synchronized int deleteRows(long before, int limit) {
        return guarded("delete old activity", () -> {
            int deleted = 0;
            Key key = rows.firstKey();
            while (key != null && deleted < limit) {
                if (key.micros() < before) {
                    rows.remove(key);
                    deleted++;
                    key = rows.higherKey(key);
                } else {
                    key = rows.ceilingKey(Key.after(key));
                }
            }
            List<String> stale = new ArrayList<>();
            callers.entrySet().stream().filter(e -> e.getValue() < before).forEach(e -> stale.add(e.getKey()));
            stale.forEach(callers::remove);
            file.commit();
            return deleted;
        });
    }

    /** Writes what is left and closes the file, rewriting part-empty chunks for at most {@link #CLOSE_COMPACT_MS}. */
    @Override
    public synchronized void close() {
        if (!file.isClosed()) {
            file.close(CLOSE_COMPACT_MS);
        }
    }

    private void put(long id, Activity a) {
        Activity row = a.at().equals(a.at().truncatedTo(ChronoUnit.MICROS)) ? a : atMicros(a);
        long at = micros(row.at());
        rows.put(new Key(a.workspaceId().value(), at, id), encoded(row));
        String caller = a.sourceId();
        if (caller != null) {
            Long before = callers.get(caller);
            if (before == null || before < at) {
                callers.put(caller, at);
            }
        }
    }

    private byte[] encoded(Activity row) {
        encoder.clear();
        Row.encode(encoder, row);
        ByteBuffer written = encoder.getBuffer().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    private static boolean selects(ActivityQuery query, Activity a) {
        String type = query.type();
        if (type != null && !type.equals(a.activityType())) {
            return false;
        }
        return switch (query.callers()) {
            case ANY -> true;
            case OPERATOR -> a.sourceId() == null;
            case WORKSPACES -> a.sourceId() != null;
        };
    }

    /** Refuses the batch when a row's workspace has no row in the database, as the table's foreign key did. */
    private void requireKnown(List<Activity> activities) {
        Set<WorkspaceId> unknown = new HashSet<>();
        for (Activity a : activities) {
            if (!known.contains(a.workspaceId())) {
                unknown.add(a.workspaceId());
            }
        }
        for (WorkspaceId id : unknown) {
            if (!exists(id, "record activity")) {
                throw new StoreException(
                        "could not record activity", new IllegalArgumentException("no workspace " + id));
            }
        }
    }

    /** Whether the workspace's row exists; if not, its trail is forgotten. */
    private boolean exists(WorkspaceId id, String operation) {
        boolean exists = call(
                        operation,
                        () -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM workspaces WHERE id = :id")
                                .bind("id", id.value())
                                .mapTo(Integer.class)
                                .one()))
                > 0;
        if (exists) {
            known.add(id);
        } else if (known.remove(id) || hasRows(id)) {
            forget(id);
        }
        return exists;
    }

    private boolean hasRows(WorkspaceId id) {
        Key first = rows.ceilingKey(Key.first(id));
        return first != null && first.isOf(id);
    }

    private synchronized void forget(WorkspaceId id) {
        guarded("forget activity", () -> {
            List<Key> keys = new ArrayList<>();
            rows.keyIterator(Key.first(id)).forEachRemaining(k -> {
                if (k.isOf(id)) {
                    keys.add(k);
                }
            });
            keys.forEach(rows::remove);
            return file.commit();
        });
    }

    /** Moves the rows of {@code activity_logs}, with their ids, a batch at a time; a crash midway repeats none. */
    private void adoptTableRows() {
        while (true) {
            List<StoredActivity> oldest = call(
                    "move activity into the journal",
                    () -> jdbi.withHandle(h -> ActivityLog.oldest(h, ADOPTED_PER_BATCH)));
            if (oldest.isEmpty()) {
                return;
            }
            long last = oldest.getLast().id();
            synchronized (this) {
                guarded("move activity into the journal", () -> {
                    oldest.forEach(s -> put(s.id(), s.activity()));
                    nextId = Math.max(nextId, last + 1);
                    counters.put(NEXT_ID, nextId);
                    return file.commit();
                });
            }
            call(
                    "move activity into the journal",
                    () -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM activity_logs WHERE id <= :last")
                            .bind("last", last)
                            .execute()));
        }
    }

    private static <T> T guarded(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (MVStoreException | IllegalStateException e) {
            throw new StoreException("could not " + operation, e);
        }
    }

    private static Activity atMicros(Activity a) {
        return new Activity(
                a.workspaceId(),
                a.activityType(),
                a.sourceId(),
                a.targetId(),
                a.method(),
                a.summary(),
                a.requestBody(),
                a.responseBody(),
                a.durationMs(),
                a.status(),
                a.errorDetail(),
                a.at().truncatedTo(ChronoUnit.MICROS));
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** A row's place: its workspace, then its time in microseconds, then its id (the order of recording). */
    record Key(long high, long low, long micros, long id) {
        static final BasicDataType<Key> TYPE = new KeyType();

        Key(UUID workspace, long micros, long id) {
            this(workspace.getMostSignificantBits(), workspace.getLeastSignificantBits(), micros, id);
        }

        static Key first(WorkspaceId id) {
            return new Key(id.value(), Long.MIN_VALUE, Long.MIN_VALUE);
        }

        static Key last(WorkspaceId id) {
            return new Key(id.value(), Long.MAX_VALUE, Long.MAX_VALUE);
        }

        /** A key after every row of this key's workspace and before any of the next. */
        static Key after(Key k) {
            return new Key(k.high(), k.low(), Long.MAX_VALUE, Long.MAX_VALUE);
        }

        boolean isOf(WorkspaceId id) {
            return high == id.value().getMostSignificantBits()
                    && low == id.value().getLeastSignificantBits();
        }
    }

    private static final class KeyType extends BasicDataType<Key> {
        @Override
        public int getMemory(Key k) {
            return 48;
        }

        @Override
        public void write(WriteBuffer buffer, Key k) {
            buffer.putLong(k.high()).putLong(k.low()).putLong(k.micros()).putVarLong(k.id());
        }

        @Override
        public Key read(ByteBuffer buffer) {
            return new Key(buffer.getLong(), buffer.getLong(), buffer.getLong(), DataUtils.readVarLong(buffer));
        }

        @Override
        public int compare(Key a, Key b) {
            int c = Long.compare(a.high(), b.high());
            if (c == 0) {
                c = Long.compare(a.low(), b.low());
            }
            if (c == 0) {
                c = Long.compare(a.micros(), b.micros());
            }
            return c != 0 ? c : Long.compare(a.id(), b.id());
        }

        @Override
        public Key[] createStorage(int size) {
            return new Key[size];
        }
    }

    /**
     * A row as the bytes of its fields: strings with a null marker (their length plus one, zero for
     * null) in MVStore's string encoding, numbers of variable length. The map stores and caches these
     * bytes as they are; reading a page finds each row's end by walking its fields without decoding them.
     */
    private static final class Row extends BasicDataType<byte[]> {
        static final BasicDataType<byte[]> TYPE = new Row();
        private static final int TEXT_FIELDS_AFTER_WORKSPACE = 7;

        @Override
        public int getMemory(byte[] row) {
            return 16 + row.length;
        }

        @Override
        public void write(WriteBuffer buffer, byte[] row) {
            buffer.put(row);
        }

        @Override
        public byte[] read(ByteBuffer buffer) {
            int start = buffer.position();
            buffer.position(start + 16);
            for (int i = 0; i < TEXT_FIELDS_AFTER_WORKSPACE; i++) {
                skipText(buffer);
            }
            DataUtils.readVarLong(buffer);
            skipText(buffer);
            skipText(buffer);
            buffer.position(buffer.position() + Long.BYTES);
            byte[] row = new byte[buffer.position() - start];
            buffer.get(start, row);
            return row;
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }

        static void encode(WriteBuffer buffer, Activity a) {
            UUID workspace = a.workspaceId().value();
            buffer.putLong(workspace.getMostSignificantBits()).putLong(workspace.getLeastSignificantBits());
            text(buffer, a.activityType());
            text(buffer, a.sourceId());
            WorkspaceId target = a.targetId();
            text(buffer, target == null ? null : target.toString());
            text(buffer, a.method());
            text(buffer, a.summary());
            text(buffer, a.requestBody());
            text(buffer, a.responseBody());
            buffer.putVarLong(a.durationMs());
            text(buffer, a.status());
            text(buffer, a.errorDetail());
            buffer.putLong(micros(a.at()));
        }

        static Activity decode(ByteBuffer buffer) {
            WorkspaceId workspace = new WorkspaceId(new UUID(buffer.getLong(), buffer.getLong()));
            String type = required(buffer);
            String source = text(buffer);
            String target = text(buffer);
            String method = text(buffer);
            String summary = required(buffer);
            String request = text(buffer);
            String response = text(buffer);
            long duration = DataUtils.readVarLong(buffer);
            String status = required(buffer);
            String error = text(buffer);
            return new Activity(
                    workspace,
                    type,
                    source,
                    target == null ? null : new WorkspaceId(UUID.fromString(target)),
                    method,
                    summary,
                    request,
                    response,
                    duration,
                    status,
                    error,
                    instant(buffer.getLong()));
        }

        private static void text(WriteBuffer buffer, @Nullable String s) {
            if (s == null) {
                buffer.putVarInt(0);
            } else {
                buffer.putVarInt(s.length() + 1).putStringData(s, s.length());
            }
        }

        private static @Nullable String text(ByteBuffer buffer) {
            int length = DataUtils.readVarInt(buffer);
            return length == 0 ? null : DataUtils.readString(buffer, length - 1);
        }

        /** Steps over a string: each char is one byte below 0x80, three from a lead byte of 0xe0 up, else two. */
        private static void skipText(ByteBuffer buffer) {
            int chars = DataUtils.readVarInt(buffer) - 1;
            int at = buffer.position();
            for (int i = 0; i < chars; i++) {
                int lead = buffer.get(at) & 0xff;
                at += lead < 0x80 ? 1 : lead >= 0xe0 ? 3 : 2;
            }
            buffer.position(at);
        }

        private static String required(ByteBuffer buffer) {
            String s = text(buffer);
            if (s == null) {
                throw new IllegalStateException("an activity row lacks a required field");
            }
            return s;
        }
    }
}

package dev.imdbstream.common.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, safe reader of Python pickles (protocols 0-4), enough for the object arrays numpy stores inside
 * {@code .npy} files (Keras' {@code imdb.npz}: arrays of Python lists of ints). Nothing is executed: a
 * {@code GLOBAL} becomes a {@link Global} name and a call ({@code REDUCE}, {@code NEWOBJ}) a {@link Call}
 * record holding the callable, its arguments and the state {@code BUILD} gave it, for the caller to interpret.
 * Lists become {@link PyList} (compact {@code int} storage while they hold only ints), tuples unmodifiable
 * {@link List}s, dicts {@link Map}s, ints {@link Integer}, {@link Long} or {@link BigInteger}, str {@link String},
 * bytes {@code byte[]}, Python 2 str {@link String} (latin-1).
 */
final class Pickle {

    /** A module-level name such as {@code numpy.core.multiarray._reconstruct}. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A call that would build an object: {@code callable(*args)}, then {@code __setstate__(state)}. */
    static final class Call {
        final Object callable;
        final List<Object> args;
        Object state;

        Call(Object callable, List<Object> args) {
            this.callable = callable;
            this.args = args;
        }

        @Override
        public String toString() {
            return callable + "(" + args + ")";
        }
    }

    /** A Python list; stores its items as {@code int}s as long as they all are (a review's word ids). */
    static final class PyList {
        private int[] ints = new int[8];
        private List<Object> objects;
        private int size;

        void add(Object item) {
            if (objects == null) {
                Integer value = asInt(item);
                if (value != null) {
                    if (size == ints.length) {
                        ints = Arrays.copyOf(ints, size * 2);
                    }
                    ints[size++] = value;
                    return;
                }
                objects = new ArrayList<>(Math.max(8, size * 2));
                for (int i = 0; i < size; i++) {
                    objects.add(ints[i]);
                }
                ints = null;
            }
            objects.add(item);
            size++;
        }

        int size() {
            return size;
        }

        /** The items as ints, or null when one of them is not an int. */
        int[] toIntArray() {
            return objects == null ? Arrays.copyOf(ints, size) : null;
        }

        List<Object> items() {
            if (objects != null) {
                return Collections.unmodifiableList(objects);
            }
            List<Object> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(ints[i]);
            }
            return out;
        }

        private static Integer asInt(Object item) {
            if (item instanceof Integer i) {
                return i;
            }
            if (item instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            return null;
        }
    }

    private static final Object MARK = new Object();

    private final DataInputStream in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Pickle(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Reads one pickle from the stream, up to and including its STOP opcode. */
    static Object load(InputStream in) throws IOException {
        return new Pickle(in).run();
    }

    private Object run() throws IOException {
        while (true) {
            int op = in.read();
            if (op < 0) {
                throw new EOFException("pickle ended without a STOP opcode");
            }
            switch (op) {
                case 0x80 -> in.readUnsignedByte(); // PROTO
                case 0x95 -> in.readLong(); // FRAME: frames are only a read-ahead hint
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size());
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'I' -> push(parseIntLine(readLine()));
                case 'L' -> push(narrow(new BigInteger(stripSuffix(readLine(), "L"))));
                case 'J' -> push(Integer.reverseBytes(in.readInt()));
                case 'K' -> push(in.readUnsignedByte());
                case 'M' -> push(in.readUnsignedByte() | (in.readUnsignedByte() << 8));
                case 0x8a -> push(readLong(in.readUnsignedByte()));
                case 0x8b -> push(readLong(readLength4()));
                case 'F' -> push(Double.parseDouble(readLine()));
                case 'G' -> push(in.readDouble());
                case 'S' -> push(unquote(readLine()));
                case 'T' -> push(new String(readBytes(readLength4()), StandardCharsets.ISO_8859_1));
                case 'U' -> push(new String(readBytes(in.readUnsignedByte()), StandardCharsets.ISO_8859_1));
                case 'V' -> push(readLine()); // raw-unicode-escape: plain ASCII in practice
                case 'X' -> push(new String(readBytes(readLength4()), StandardCharsets.UTF_8));
                case 0x8c -> push(new String(readBytes(in.readUnsignedByte()), StandardCharsets.UTF_8));
                case 0x8d -> push(new String(readBytes(readLength8()), StandardCharsets.UTF_8));
                case 'B' -> push(readBytes(readLength4()));
                case 'C' -> push(readBytes(in.readUnsignedByte()));
                case 0x8e, 0x96 -> push(readBytes(readLength8()));
                case ']' -> push(new PyList());
                case 'l' -> {
                    PyList list = new PyList();
                    popMark().forEach(list::add);
                    push(list);
                }
                case 'a' -> {
                    Object item = pop();
                    asList(peek()).add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    PyList list = asList(peek());
                    items.forEach(list::add);
                }
                case ')' -> push(List.of());
                case 't' -> push(tuple(popMark()));
                case 0x85 -> push(tuple(popN(1)));
                case 0x86 -> push(tuple(popN(2)));
                case 0x87 -> push(tuple(popN(3)));
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark());
                    push(dict);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    asDict(peek()).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putAll(asDict(peek()), items);
                }
                case 0x8f -> push(new PyList()); // EMPTY_SET: order is irrelevant here
                case 0x90 -> {
                    List<Object> items = popMark();
                    PyList set = asList(peek());
                    items.forEach(set::add);
                }
                case 0x91 -> {
                    PyList set = new PyList();
                    popMark().forEach(set::add);
                    push(set);
                }
                case 'c' -> push(new Global(readLine(), readLine()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    push(new Global(String.valueOf(module), String.valueOf(name)));
                }
                case 'R' -> {
                    Object args = pop();
                    Object callable = pop();
                    push(new Call(callable, asTuple(args)));
                }
                case 0x81 -> {
                    Object args = pop();
                    Object cls = pop();
                    push(new Call(cls, asTuple(args)));
                }
                case 0x92 -> {
                    pop(); // kwargs
                    Object args = pop();
                    Object cls = pop();
                    push(new Call(cls, asTuple(args)));
                }
                case 'b' -> {
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Call call)) {
                        throw new IOException("pickle BUILD on a " + typeName(target) + ", expected an object");
                    }
                    call.state = state;
                }
                case 'p' -> memo.put(Long.parseLong(readLine()), peek());
                case 'q' -> memo.put((long) in.readUnsignedByte(), peek());
                case 'r' -> memo.put(readLength4(), peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'g' -> push(memoGet(Long.parseLong(readLine())));
                case 'h' -> push(memoGet(in.readUnsignedByte()));
                case 'j' -> push(memoGet(readLength4()));
                default -> throw new IOException(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws IOException {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new IOException("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws IOException {
        if (stack.isEmpty()) {
            throw new IOException("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw new IOException("pickle MARK expected");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> popN(int n) throws IOException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Arrays.asList(items);
    }

    private Object memoGet(long key) throws IOException {
        if (!memo.containsKey(key)) {
            throw new IOException("pickle memo has no entry " + key);
        }
        return memo.get(key);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asTuple(Object o) throws IOException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IOException("pickle call arguments are a " + typeName(o) + ", expected a tuple");
    }

    private static PyList asList(Object o) throws IOException {
        if (o instanceof PyList l) {
            return l;
        }
        throw new IOException("pickle APPEND on a " + typeName(o) + ", expected a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asDict(Object o) throws IOException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new IOException("pickle SETITEM on a " + typeName(o) + ", expected a dict");
    }

    private static void putAll(Map<Object, Object> dict, List<Object> items) throws IOException {
        if (items.size() % 2 != 0) {
            throw new IOException("pickle dict items come in pairs");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private long readLength4() throws IOException {
        return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    }

    private long readLength8() throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    private byte[] readBytes(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("pickle string of " + n + " bytes is too large");
        }
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return b;
    }

    /** Little-endian two's complement of {@code n} bytes (LONG1/LONG4). */
    private Object readLong(long n) throws IOException {
        byte[] le = readBytes(n);
        if (le.length == 0) {
            return 0;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return narrow(new BigInteger(be));
    }

    private static Object narrow(BigInteger v) {
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object parseIntLine(String line) {
        // Protocol 0 writes True/False as I01/I00.
        if (line.equals("01")) {
            return Boolean.TRUE;
        }
        if (line.equals("00")) {
            return Boolean.FALSE;
        }
        return narrow(new BigInteger(line));
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("pickle ended inside a text argument");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}

package dev.imdbstream.common.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one-dimensional arrays from numpy's {@code .npy} format (versions 1-3): integer and boolean arrays
 * read as {@code int[]}, and object arrays (stored as a pickle) whose items are lists of ints read as
 * {@code int[][]}, which is how Keras' {@code imdb.npz} stores its reviews.
 */
final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The parsed header: numpy's dtype string and the array's shape. */
    record Header(String descr, boolean fortranOrder, long[] shape) {
        long length() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private Npy() {
    }

    static Header readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException("not a .npy array (bad magic)");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLength = switch (major) {
            case 1 -> in.readUnsignedByte() | (in.readUnsignedByte() << 8);
            case 2, 3 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            default -> throw new IOException("unsupported .npy format version " + major);
        };
        if (headerLength > 1 << 20) {
            throw new IOException(".npy header of " + headerLength + " bytes is implausible");
        }
        byte[] header = new byte[(int) headerLength];
        in.readFully(header);
        String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException("cannot parse .npy header: " + dict.strip());
        }
        List<Long> dims = new ArrayList<>();
        for (String d : shape.group(1).split(",")) {
            if (!d.isBlank()) {
                dims.add(Long.parseLong(d.strip().replace("L", "")));
            }
        }
        return new Header(descr.group(1), fortran.group(1).equals("True"), dims.stream().mapToLong(Long::longValue).toArray());
    }

    /** A one-dimensional integer (or boolean) array. */
    static int[] readInts(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        Header h = readHeader(in);
        checkVector(h);
        String descr = h.descr();
        boolean big = descr.charAt(0) == '>';
        char kind = descr.charAt(1);
        int width;
        try {
            width = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new IOException("unsupported dtype " + descr + ", expected an integer array");
        }
        if ((kind != 'i' && kind != 'u' && kind != 'b') || (width != 1 && width != 2 && width != 4 && width != 8)) {
            throw new IOException("unsupported dtype " + descr + ", expected an integer array");
        }
        int n = Math.toIntExact(h.length());
        int[] out = new int[n];
        byte[] b = new byte[width];
        for (int i = 0; i < n; i++) {
            in.readFully(b);
            long v = 0;
            for (int k = 0; k < width; k++) {
                int shift = 8 * (big ? width - 1 - k : k);
                v |= (b[k] & 0xffL) << shift;
            }
            if (kind == 'i' && width < 8) {
                int unused = 64 - 8 * width;
                v = (v << unused) >> unused;
            }
            if (v != (int) v) {
                throw new IOException("value " + v + " at position " + i + " does not fit an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** A one-dimensional object array whose items are lists (or tuples) of ints. */
    static int[][] readIntLists(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        Header h = readHeader(in);
        checkVector(h);
        if (!h.descr().equals("|O")) {
            throw new IOException("dtype " + h.descr() + ", expected an object array (|O) of lists");
        }
        Object pickled = Pickle.load(in);
        List<Object> items = objectArrayItems(pickled);
        if (items.size() != h.length()) {
            throw new IOException("object array holds " + items.size() + " items, its header says " + h.length());
        }
        int[][] out = new int[items.size()][];
        for (int i = 0; i < out.length; i++) {
            Object item = items.get(i);
            int[] ints = item instanceof Pickle.PyList list ? list.toIntArray() : null;
            if (ints == null) {
                throw new IOException("item " + i + " is a " + Pickle.typeName(item) + ", expected a list of ints");
            }
            out[i] = ints;
        }
        return out;
    }

    /**
     * numpy pickles an array as {@code _reconstruct(ndarray, (0,), b'b')} followed by
     * {@code __setstate__((version, shape, dtype, is_fortran, data))}; for object arrays {@code data} is a list.
     */
    private static List<Object> objectArrayItems(Object pickled) throws IOException {
        if (!(pickled instanceof Pickle.Call call) || !(call.state instanceof List<?> state)) {
            throw new IOException("the pickle is a " + Pickle.typeName(pickled) + ", not a numpy array");
        }
        if (!String.valueOf(call.callable).endsWith("._reconstruct") || state.size() < 5) {
            throw new IOException("the pickle is " + call + ", not a numpy array");
        }
        Object data = state.get(state.size() - 1);
        if (!(data instanceof Pickle.PyList list)) {
            throw new IOException("the numpy array's data is a " + Pickle.typeName(data) + ", expected a list of objects");
        }
        return list.items();
    }

    private static void checkVector(Header h) throws IOException {
        if (h.shape().length != 1) {
            throw new IOException("expected a one-dimensional array, shape is " + java.util.Arrays.toString(h.shape()));
        }
    }
}

"""Makes the tiny Keras-format IMDB fixture the Java tests read (run once; outputs are committed).

    cd common/src/test/resources/keras-imdb && python3 make_fixture.py

imdb.npz            as keras' imdb.npz: np.savez of object arrays of Python lists (pickled inside the .npy,
                    numpy's own writer: pickle protocol 4 with numpy 2) and int64 label arrays
imdb-protocol2.npz  the same arrays, the object arrays pickled with protocol 2 (as older numpy/Python
                    writers did), labels as uint8, deflate-compressed like np.savez_compressed
imdb_word_index.json  word -> rank (1 = most frequent), as keras' imdb_word_index.json
"""
import io
import json
import pickle
import zipfile

import numpy as np

word_index = {"the": 1, "movie": 2, "a": 3, "was": 4, "great": 5, "bad": 6, "and": 7, "i": 8, "it": 9,
              "loved": 10, "boring": 11, "plot": 12}
# Ranks as stored in imdb.npz; 300 (2-byte) and 70000 (4-byte) exercise the wider pickle int opcodes.
x_train = [[8, 10, 1, 2], [1, 2, 4, 11], [3, 5, 2, 7, 8, 10, 9], [1, 12, 4, 6, 300], [9, 4, 5], [70000, 11]]
y_train = [1, 0, 1, 0, 1, 0]
x_test = [[1, 2, 4, 5], [6, 12], [8, 10, 9, 7, 1, 12], []]
y_test = [1, 0, 1, 0]


def objects(rows):
    a = np.empty(len(rows), dtype=object)
    for i, r in enumerate(rows):
        a[i] = list(r)
    return a


np.savez("imdb.npz", x_train=objects(x_train), y_train=np.array(y_train, dtype=np.int64),
         x_test=objects(x_test), y_test=np.array(y_test, dtype=np.int64))


def npy_bytes(array, protocol=None):
    buf = io.BytesIO()
    if array.dtype == object:
        np.lib.format.write_array_header_1_0(buf, np.lib.format.header_data_from_array_1_0(array))
        pickle.dump(array, buf, protocol=protocol)
    else:
        np.lib.format.write_array(buf, array)
    return buf.getvalue()


with zipfile.ZipFile("imdb-protocol2.npz", "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("x_train.npy", npy_bytes(objects(x_train), protocol=2))
    z.writestr("y_train.npy", npy_bytes(np.array(y_train, dtype=np.uint8)))
    z.writestr("x_test.npy", npy_bytes(objects(x_test), protocol=2))
    z.writestr("y_test.npy", npy_bytes(np.array(y_test, dtype=np.uint8)))

with open("imdb_word_index.json", "w") as f:
    json.dump(word_index, f)

# Self-check: numpy reads both back as keras does.
for name in ("imdb.npz", "imdb-protocol2.npz"):
    with np.load(name, allow_pickle=True) as f:
        assert [list(r) for r in f["x_train"]] == x_train and list(f["y_test"]) == y_test, name

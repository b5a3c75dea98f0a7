"""The notebook's model in PyTorch: the yardstick of bin/model-benchmark.sh --pytorch, not a part of the project.

Same network and sizes as dev.imdbstream.model.bench.ModelBenchmark (--lstm fast --trim false): Embedding(10000, 100)
-> BiLSTM(128, sequences) -> Dropout 0.5 -> BatchNorm(256) -> additive attention pooling (softmax over unpadded steps)
-> Dense 64 relu -> Dropout 0.4 -> Dense 1 sigmoid, binary cross-entropy, AdamW(lr 1e-4, weight decay 0.004); training
batches of 32, inference batches of 256 at full length, on synthetic sequences of length 150 of which a third are
pre-padded. The LSTM runs over every step (padding included, as the Java benchmark's inference does at --trim false);
the attention masks the padding. One thread. Prints samples/s per wall-clock second and per CPU-second of the process
(median and range of the repeats), in the Java benchmark's words.

  python3 bin/lib/pytorch_peer.py [--train-batches 10] [--infer-batches 3] [--repeats 3] [--warmup 3]
"""
import argparse
import statistics
import time

import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = nn.Linear(n, n)
        self.context = nn.Linear(n, 1, bias=False)

    def forward(self, steps, mask):  # steps [B, T, n], mask [B, T]
        scores = self.context(torch.tanh(self.weight(steps))).squeeze(-1)
        scores = scores.masked_fill(mask == 0, -1e9)
        alpha = torch.softmax(scores, dim=1)
        return torch.bmm(alpha.unsqueeze(1), steps).squeeze(1)


class Notebook(nn.Module):
    def __init__(self, vocab=10000, dim=100, hidden=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
        self.dropout1 = nn.Dropout(0.5)
        self.norm = nn.BatchNorm1d(2 * hidden)
        self.attention = Attention(2 * hidden)
        self.dense = nn.Linear(2 * hidden, 64)
        self.dropout2 = nn.Dropout(0.4)
        self.out = nn.Linear(64, 1)

    def forward(self, tokens):
        mask = tokens != 0
        steps, _ = self.lstm(self.embedding(tokens))
        steps = self.norm(self.dropout1(steps).transpose(1, 2)).transpose(1, 2)
        pooled = self.attention(steps, mask)
        return self.out(self.dropout2(torch.relu(self.dense(pooled)))).squeeze(-1)


def sequences(n, length, vocab, generator):
    """Token ids shaped like IMDB at length 150: a third of the reviews shorter and pre-padded (as ModelBenchmark)."""
    tokens = (torch.randn(n, length, generator=generator).abs() * 800).long().clamp(max=vocab - 4) + 3
    for i in range(n):
        if torch.randint(3, (1,), generator=generator).item() == 0:
            padding = torch.randint(length - 10, (1,), generator=generator).item()
            tokens[i, :padding] = 0
            tokens[i, padding] = 1
        else:
            tokens[i, 0] = 1
    return tokens


def rates(work, samples, repeats):
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        work()
        wall.append(samples / (time.perf_counter() - w0))
        cpu.append(samples / (time.process_time() - c0))
    return wall, cpu


def fmt(v):
    return f"{statistics.median(v):7.1f} ({min(v):5.1f}..{max(v):5.1f})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train-batches", type=int, default=10)
    p.add_argument("--infer-batches", type=int, default=3)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=150)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(42)
    infer_batch = 256
    n = max(a.batch * (a.warmup + a.train_batches), infer_batch * a.infer_batches)
    tokens = sequences(n, a.length, 10000, generator)
    labels = (torch.arange(n) % 2).float()
    model = Notebook()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.004, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()

    def step(b):
        x = tokens[b * a.batch:(b + 1) * a.batch]
        y = labels[b * a.batch:(b + 1) * a.batch]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    def train():
        model.train()
        for b in range(a.warmup, a.warmup + a.train_batches):
            step(b)

    def infer():
        model.eval()
        with torch.inference_mode():
            for b in range(a.infer_batches):
                torch.sigmoid(model(tokens[b * infer_batch:(b + 1) * infer_batch]))

    model.train()
    for b in range(a.warmup):
        step(b)
    infer()
    train_wall, train_cpu = rates(train, a.train_batches * a.batch, a.repeats)
    infer_wall, infer_cpu = rates(infer, a.infer_batches * infer_batch, a.repeats)
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} thread, "
          f"{sum(p.numel() for p in model.parameters())} params, train batch {a.batch}, length {a.length}, "
          f"inference batch {infer_batch}, BLAS {torch.__config__.show().split('BLAS_INFO=')[1].split(',')[0]} "
          f"({blas_libraries()})")
    print(f"PYTORCH train {fmt(train_wall)} {fmt(train_cpu)} | inference {fmt(infer_wall)} {fmt(infer_cpu)} "
          f"samples/s, wall (range) cpu (range)")


def blas_libraries():
    """The BLAS libraries this process has loaded: a "generic" build resolves libblas.so.3 at run time (Debian's
    alternatives), and which one it got changes the peer's speed several-fold."""
    import os
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if "blas" in os.path.basename(path):
                paths.add(os.path.realpath(path))
    return ", ".join(sorted(paths)) or "none found"


if __name__ == "__main__":
    main()

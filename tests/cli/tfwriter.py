#!/usr/bin/env python3
"""Write TensorBoard event files for tests/cli/tfevents.sh, with the
standard library only (no TensorFlow): TFRecord framing with masked
CRC32C, and Event / Summary / TensorProto / hparams messages encoded by
hand in the protobuf wire format, the way PyTorch's SummaryWriter, TF2's
tf.summary and the hparams plugin write them.

usage: tfwriter.py OUTDIR          write every case under OUTDIR
       tfwriter.py --finish OUTDIR complete the truncated file's record
"""
import os
import struct
import sys

POLY = 0x82F63B78
TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ POLY if c & 1 else c >> 1
    TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data, bad_crc=False):
    head = struct.pack("<Q", len(data))
    crc = masked(data) ^ (1 if bad_crc else 0)
    return head + struct.pack("<I", masked(head)) + data + struct.pack("<I", crc)


def varint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(num, wt):
    return varint(num << 3 | wt)


def f_varint(num, v):
    return key(num, 0) + varint(v)


def f_bytes(num, b):
    if isinstance(b, str):
        b = b.encode()
    return key(num, 2) + varint(len(b)) + b


def f_double(num, v):
    return key(num, 1) + struct.pack("<d", v)


def f_float(num, v):
    return key(num, 5) + struct.pack("<f", v)


def event(wall, step=None, summary=None, file_version=None):
    b = f_double(1, wall)
    if step is not None:
        b += f_varint(2, step)
    if file_version is not None:
        b += f_bytes(3, file_version)
    if summary is not None:
        b += f_bytes(5, summary)
    return b


def metadata(plugin, content=b"", data_class=None):
    m = f_bytes(1, f_bytes(1, plugin) + (f_bytes(2, content) if content else b""))
    if data_class is not None:
        m += f_varint(4, data_class)
    return m


def simple(tag, v):
    """PyTorch / TF1: Summary.Value.simple_value."""
    return f_bytes(1, f_bytes(1, tag) + f_float(2, v))


def tensor_scalar(tag, v, dtype="float", first=False, packed=True):
    """TF2 tf.summary.scalar: a rank-0 tensor; the scalars plugin named on
    the tag's first event only."""
    if dtype == "float":
        t = f_varint(1, 1) + f_bytes(2, b"")
        t += f_bytes(5, struct.pack("<f", v)) if packed else f_float(5, v)
    elif dtype == "double":
        t = f_varint(1, 2) + f_bytes(2, b"") + f_bytes(4, struct.pack("<d", v))
    val = f_bytes(1, tag)
    if first:
        val += f_bytes(9, metadata("scalars", data_class=1))
    val += f_bytes(8, t)
    return f_bytes(1, val)


def histogram(tag):
    """A float64 [2,3] tensor of the histograms plugin: not a scalar."""
    shape = f_bytes(2, f_bytes(2, f_varint(1, 2)) + f_bytes(2, f_varint(1, 3)))
    t = f_varint(1, 2) + shape + f_bytes(4, struct.pack("<6d", 0, 1, 2, 1, 2, 3))
    return f_bytes(1, f_bytes(1, tag) + f_bytes(9, metadata("histograms")) + f_bytes(8, t))


def text(tag, s):
    """A string tensor of the text plugin: not a scalar."""
    t = f_varint(1, 7) + f_bytes(2, b"") + f_bytes(8, s)
    return f_bytes(1, f_bytes(1, tag) + f_bytes(9, metadata("text")) + f_bytes(8, t))


def hparams(values):
    """The hparams plugin's session start: map<string, protobuf.Value>."""
    entries = b""
    for k, v in values.items():
        if isinstance(v, bool):
            pv = f_varint(4, 1 if v else 0)
        elif isinstance(v, (int, float)):
            pv = f_double(2, float(v))
        else:
            pv = f_bytes(3, v)
        entries += f_bytes(1, f_bytes(1, k) + f_bytes(2, pv))
    content = f_varint(1, 0) + f_bytes(3, entries)
    val = f_bytes(1, "_hparams_/session_start_info") + \
        f_bytes(9, metadata("hparams", content))
    return f_bytes(1, val)


def write(path, events, bad_crc_at=None, cut=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = b"".join(record(e, bad_crc=(i + 1 == bad_crc_at))
                    for i, e in enumerate(events))
    with open(path, "wb") as f:
        f.write(data[:len(data) - cut] if cut else data)


W = 1700000000.0
VERSION = event(W, file_version="brain.Event:2")


def pytorch_events():
    ev = [VERSION]
    for step, (loss, acc) in enumerate([(1.5, 0.25), (1.0, 0.5), (0.5, 0.75)]):
        ev.append(event(W + step + 0.5, step, simple("loss", loss)))
        ev.append(event(W + step + 0.5, step, simple("acc", acc)))
    return ev


def tf2_events():
    ev = [VERSION]
    for step in range(3):
        ev.append(event(W + 10 * step, step,
                        tensor_scalar("epoch_loss", 2.0 - step / 2,
                                      first=step == 0, packed=step != 1)))
        ev.append(event(W + 10 * step, step,
                        tensor_scalar("epoch_lr", 0.001 / (step + 1),
                                      dtype="double", first=step == 0)))
        ev.append(event(W + 10 * step, step, histogram("weights")))
    ev.append(event(W + 30, 3, text("notes", "not a number")))
    return ev


def main():
    if sys.argv[1] == "--finish":
        out = sys.argv[2]
        write(os.path.join(out, "logs/trunc/events.out.tfevents.1700000000.box.8.0"),
              pytorch_events())
        return
    out = sys.argv[1]
    logs = os.path.join(out, "logs")
    write(os.path.join(logs, "pt/events.out.tfevents.1700000000.box.1.0"),
          pytorch_events())
    write(os.path.join(logs, "tf2/train/events.out.tfevents.1700000000.box.2.v2"),
          tf2_events())
    write(os.path.join(logs, "hp/events.out.tfevents.1700000000.box.3.0"),
          [VERSION,
           event(W, 0, hparams({"lr": 0.01, "optimizer": "adam", "use_bn": True,
                                "layers": 4})),
           event(W + 1, 0, simple("hp_metric", 0.5))])
    # Cut in the middle of the last record (the writer is still running).
    write(os.path.join(logs, "trunc/events.out.tfevents.1700000000.box.8.0"),
          pytorch_events(), cut=7)
    # A restart: the second file starts again at step 2.
    write(os.path.join(logs, "restart/events.out.tfevents.1700000000.box.4.0"),
          [VERSION] + [event(W + s, s, simple("loss", 3.0 - s)) for s in range(3)])
    write(os.path.join(logs, "restart/events.out.tfevents.1700000100.box.5.0"),
          [VERSION] + [event(W + 100 + s, s, simple("loss", 0.5 - s / 10))
                       for s in (2, 3)])
    # Lightning's TensorBoardLogger: events and hparams.yaml side by side.
    lt = os.path.join(out, "proj/lightning_logs/version_0")
    write(os.path.join(lt, "events.out.tfevents.1700000000.box.6.0"),
          [VERSION, event(W, 9, simple("train_loss", 0.25))])
    with open(os.path.join(lt, "hparams.yaml"), "w") as f:
        f.write("lr: 0.003\nbatch_size: 32\n")
    # A bad CRC in the third record.
    write(os.path.join(out, "bad/run1/events.out.tfevents.1700000000.box.7.0"),
          pytorch_events(), bad_crc_at=3)


if __name__ == "__main__":
    main()

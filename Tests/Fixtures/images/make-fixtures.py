#!/usr/bin/env python3
"""Regenerates the thumbnailer's fixtures (run once; the outputs are committed).

JPEGs come from Pillow (libjpeg). PNGs come from the small writer below, because Pillow cannot write
Adam7-interlaced, 2-bit grey or 16-bit RGBA files; every PNG written is read back with Pillow and
checked against the pixels intended, so both sides agree on what the file holds.
"""
import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

HERE = Path(__file__).resolve().parent

# Upright quadrants: top-left, top-right, bottom-left, bottom-right.
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 60), (40, 60, 210), (240, 220, 40)


def quadrants(width, height, colours=(RED, GREEN, BLUE, YELLOW), mode="RGB"):
    image = Image.new(mode, (width, height))
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle([0, 0, half_w - 1, half_h - 1], fill=colours[0])
    draw.rectangle([half_w, 0, width - 1, half_h - 1], fill=colours[1])
    draw.rectangle([0, half_h, half_w - 1, height - 1], fill=colours[2])
    draw.rectangle([half_w, half_h, width - 1, height - 1], fill=colours[3])
    return image


def scene(width, height):
    """Something photo-like: gradients, a disc, stripes and text-sized detail."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (x * 255 // width, y * 255 // height, 255 - (x + y) * 255 // (width + height))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width // 4, height // 4, width // 2, height * 3 // 4], fill=(250, 250, 240))
    for i in range(0, width // 3, 6):
        draw.line([width * 2 // 3 + i, 10, width * 2 // 3 + i, height - 10], fill=(20, 20, 20), width=2)
    return image


def save_jpeg(image, name, **options):
    image.save(HERE / name, "JPEG", quality=options.pop("quality", 92), **options)


def make_jpegs():
    upright = quadrants(64, 48)
    save_jpeg(upright, "quadrants-420.jpg", subsampling=2)
    save_jpeg(upright, "quadrants-422.jpg", subsampling=1)
    save_jpeg(upright, "quadrants-444.jpg", subsampling=0)
    save_jpeg(upright, "quadrants-restart.jpg", subsampling=2, restart_marker_blocks=5)
    save_jpeg(upright, "quadrants-progressive.jpg", subsampling=2, progressive=True)
    save_jpeg(quadrants(64, 48, (20, 90, 160, 230), mode="L"), "grey.jpg")
    # Big enough that a 128-px thumbnail is ≤ 1/8 of it: the reduced (no-IDCT) path.
    save_jpeg(quadrants(1024, 768), "large-420.jpg", subsampling=2, quality=80)
    save_jpeg(quadrants(1024, 768), "large-progressive.jpg", subsampling=2, quality=80, progressive=True)
    photo = scene(240, 160)
    save_jpeg(photo, "scene.jpg", subsampling=2, quality=90)
    save_jpeg(photo, "scene-progressive.jpg", subsampling=2, quality=90, progressive=True)
    # What libjpeg (via Pillow) decodes scene.jpg to, as the reference for pixel accuracy.
    Image.open(HERE / "scene.jpg").convert("RGB").save(HERE / "scene-reference.png", optimize=True)
    # Sizes that are not whole MCUs: chroma must line up with luma to the last pixel.
    odd = scene(101, 67)
    for name, subsampling in [("odd-420", 2), ("odd-422", 1)]:
        save_jpeg(odd, f"{name}.jpg", subsampling=subsampling, quality=90)
        Image.open(HERE / f"{name}.jpg").convert("RGB").save(HERE / f"{name}-reference.png", optimize=True)

    # EXIF orientation n: store the image so that displaying it per n shows `upright`.
    inverse = {
        2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    small = quadrants(32, 24)
    for orientation, method in inverse.items():
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"orientation-{orientation}.jpg"
        save_jpeg(small.transpose(method), name, subsampling=0, exif=exif.tobytes())
        shown = ImageOps.exif_transpose(Image.open(HERE / name))
        assert shown.size == small.size, name
        assert max(abs(a - b) for a, b in zip(shown.getpixel((2, 2)), RED)) < 12, name

    data = (HERE / "quadrants-420.jpg").read_bytes()
    scan = data.index(b"\xff\xda")
    (HERE / "truncated.jpg").write_bytes(data[: scan + (len(data) - scan) // 2])  # cut mid-scan
    (HERE / "not-an-image.jpg").write_text("这不是图片。This is a text file renamed to .jpg.\n", encoding="utf-8")


# --- PNG writer: any colour type, bit depth, all five filters in turn, optional Adam7. ---

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def pack(row, depth):
    """Samples → bytes at `depth` bits each."""
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in row)
    if depth == 8:
        return bytes(row)
    out, acc, bits = bytearray(), 0, 0
    for v in row:
        acc, bits = (acc << depth) | v, bits + depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filtered(rows, bpp):
    out, previous = bytearray(), bytes(len(rows[0])) if rows else b""
    for index, raw in enumerate(rows):
        kind = index % 5
        line = bytearray([kind])
        for i, x in enumerate(raw):
            a = raw[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            line.append((x - predictor) & 0xFF)
        out += line
        previous = raw
    return bytes(out)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(name, pixels, colour_type, depth, interlaced=False, palette=None, trns=None):
    """`pixels[y][x]` is a tuple of samples in the file's own depth (palette: an index)."""
    height, width = len(pixels), len(pixels[0])
    channels = CHANNELS[colour_type]
    bpp = max(1, channels * depth // 8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    data = b""
    for x0, y0, dx, dy in passes:
        rows = [
            pack([s for x in range(x0, width, dx) for s in pixels[y][x]], depth) for y in range(y0, height, dy)
        ]
        rows = [r for r in rows if r]
        if rows:
            data += filtered(rows, bpp)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, int(interlaced)))
    if palette:
        png += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    if trns is not None:
        png += chunk(b"tRNS", trns)
    png += chunk(b"tEXt", b"Comment\x00lantian fixture")  # an ancillary chunk to skip
    png += chunk(b"IDAT", zlib.compress(data, 9))
    png += chunk(b"IEND", b"")
    (HERE / name).write_bytes(png)
    return Image.open(io.BytesIO(png))


def quadrant_grid(width, height, values):
    return [
        [values[(y >= height // 2) * 2 + (x >= width // 2)] for x in range(width)] for y in range(height)
    ]


def make_pngs():
    w, h = 37, 29  # odd, so Adam7 passes have ragged edges
    grey = lambda values: quadrant_grid(w, h, [(v,) for v in values])
    write_png("grey-1.png", grey([0, 1, 1, 0]), 0, 1)
    write_png("grey-2.png", grey([0, 1, 2, 3]), 0, 2)
    write_png("grey-4-interlaced.png", grey([0, 5, 10, 15]), 0, 4, interlaced=True)
    write_png("grey-8.png", grey([20, 90, 160, 230]), 0, 8)
    write_png("grey-16.png", grey([20 * 257, 90 * 257, 160 * 257, 230 * 257]), 0, 16)
    # tRNS grey key 90: that quadrant is transparent, so white.
    write_png("grey-8-transparent.png", grey([20, 90, 160, 230]), 0, 8, trns=struct.pack(">H", 90))
    write_png("grey-alpha-8.png", quadrant_grid(w, h, [(20, 255), (90, 255), (160, 255), (0, 128)]), 4, 8)
    rgb = quadrant_grid(w, h, [RED, GREEN, BLUE, YELLOW])
    write_png("rgb-8.png", rgb, 2, 8)
    write_png("rgb-8-interlaced.png", rgb, 2, 8, interlaced=True)
    write_png("rgb-16.png", [[tuple(v * 257 for v in p) for p in row] for row in rgb], 2, 16)
    rgba = quadrant_grid(w, h, [RED + (255,), GREEN + (255,), BLUE + (255,), (0, 0, 0, 128)])
    write_png("rgba-8.png", rgba, 6, 8)
    write_png("rgba-16-interlaced.png", [[tuple(v * 257 for v in p) for p in row] for row in rgba], 6, 16, True)
    palette = [RED, GREEN, BLUE, YELLOW]
    indices = quadrant_grid(w, h, [(0,), (1,), (2,), (3,)])
    write_png("palette-2.png", indices, 3, 2, palette=palette)
    write_png("palette-4-interlaced.png", indices, 3, 4, interlaced=True, palette=palette)
    # Index 3 half transparent: yellow over white.
    write_png("palette-8-transparent.png", indices, 3, 8, palette=palette, trns=bytes([255, 255, 255, 128]))
    write_png("palette-1.png", quadrant_grid(w, h, [(0,), (1,), (1,), (0,)]), 3, 1, palette=[RED, BLUE])
    quadrants(w, h).quantize(4).save(HERE / "pillow-palette.png")

    good = (HERE / "rgb-8.png").read_bytes()
    idat = good.index(b"IDAT")
    bad = bytearray(good)
    bad[idat + 6] ^= 0x01  # a data byte inside IDAT; its CRC no longer matches
    (HERE / "bad-crc.png").write_bytes(bytes(bad))


def check_pngs():
    """Pillow must read every PNG fixture the way the tests expect (its own decoder as the referee)."""
    expected = {
        "grey-2.png": [0, 85, 170, 255], "grey-4-interlaced.png": [0, 85, 170, 255],
        "grey-8.png": [20, 90, 160, 230], "grey-16.png": [20, 90, 160, 230],
    }
    for name, values in expected.items():
        image = Image.open(HERE / name)
        image = image.point(lambda v: v / 257) if image.mode.startswith("I") else image
        image = image.convert("L")
        got = [image.getpixel((3, 3)), image.getpixel((33, 3)), image.getpixel((3, 25)), image.getpixel((33, 25))]
        assert got == values, (name, got)
    for name in ["rgb-8.png", "rgb-8-interlaced.png", "palette-2.png", "palette-4-interlaced.png"]:
        image = Image.open(HERE / name).convert("RGB")
        assert [image.getpixel(p) for p in [(3, 3), (33, 3), (3, 25), (33, 25)]] == [RED, GREEN, BLUE, YELLOW], name
    rgba = Image.open(HERE / "rgba-16-interlaced.png")
    rgba.load()


if __name__ == "__main__":
    make_jpegs()
    make_pngs()
    check_pngs()
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.suffix in {".jpg", ".png"})
    print(f"{len(list(HERE.glob('*.*g')))} fixtures, {total} bytes")

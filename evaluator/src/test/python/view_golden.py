"""Makes the golden fixture of the evaluation views with PIL, as torchvision applies them.

MMSelfSup's VOC07 SVM feature extraction uses ``Resize(256), Resize((224, 224))``: shorter side
to 256, then the whole image to a square. At the project's small input (32 px) that is
``Resize(37), Resize((32, 32))``. The ImageFolder view, ``Resize(37), CenterCrop(32)``, is
checked alongside. The test images are computed from their coordinates, so the Java
test builds the same pixels without reading a file; the fixture holds PIL's 8-bit output.

    /work/venv/bin/python evaluator/src/test/python/view_golden.py evaluator/src/test/resources/view-golden/views.json
"""
import json
import sys

import numpy as np
from PIL import Image


def pattern(width, height):
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([(x * 37 + y * 11) % 256, (x * y * 3 + 7) % 256, ((x ^ y) * 5) % 256], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


def torchvision_resize(image, size):
    """torchvision.transforms.Resize(size) with an int: shorter side to size, int() of the other."""
    w, h = image.size
    if w <= h:
        return image.resize((size, int(size * h / w)), Image.BILINEAR)
    return image.resize((int(size * w / h), size), Image.BILINEAR)


def main():
    cases = []
    for squash in (True, False):
        for width, height, resize, side in ((45, 30, 37, 32), (30, 64, 37, 32), (100, 70, 64, 56)):
            resized = torchvision_resize(pattern(width, height), resize)
            if squash:
                out = resized.resize((side, side), Image.BILINEAR)
            else:  # torchvision CenterCrop, for the ImageFolder view
                w, h = resized.size
                top, left = int(round((h - side) / 2.0)), int(round((w - side) / 2.0))
                out = resized.crop((left, top, left + side, top + side))
            cases.append({"squash": squash, "width": width, "height": height, "resize": resize, "side": side,
                          "rgb": np.asarray(out).transpose(2, 0, 1).reshape(-1).tolist()})
    with open(sys.argv[1], "w") as f:
        json.dump({"generator": "evaluator/src/test/python/view_golden.py", "cases": cases}, f)


if __name__ == "__main__":
    main()

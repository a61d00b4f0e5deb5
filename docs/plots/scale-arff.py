#!/usr/bin/env python3
"""Multiplies every numeric value of a dense ARFF file (numeric attributes, class last) by one factor.

benchmarks.md uses it for DEC's code's input scale: MNIST pixels in [0,1] times 5.1 = raw 0-255 pixels times 0.02.
usage: docs/plots/scale-arff.py SRC.arff[.gz] DST.arff[.gz] FACTOR
"""
import gzip
import sys


def open_text(path, mode):
    return gzip.open(path, mode + 't', compresslevel=1) if path.endswith('.gz') else open(path, mode)


def main(src, dst, factor):
    with open_text(src, 'r') as f, open_text(dst, 'w') as g:
        in_data = False
        for line in f:
            s = line.strip()
            if not in_data or not s or s.startswith('%'):
                g.write(line)
                in_data = in_data or s.lower().startswith('@data')
                continue
            *values, label = s.split(',')
            g.write(','.join('0' if v in ('0', '0.0') else repr(round(float(v) * factor, 6)) for v in values)
                    + ',' + label + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))

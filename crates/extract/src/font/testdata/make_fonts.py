#!/usr/bin/env python3
"""Build the two tiny TrueType fonts the font tests embed (fonttools 4.68.0
FontBuilder; outlines are empty boxes, only the tables matter).

mini-cjk.ttf: glyphs .notdef, g1, g2, g3; a Unicode cmap (3,1)
  U+4E2D -> g1, U+6587 -> g2, and both U+2F00 (KANGXI RADICAL ONE)
  and U+4E00 -> g3 to exercise preferring the unified ideograph; post format 3
  (no glyph names), so only the cmap can say what the glyphs are.
mini-symbol.ttf: the same glyphs with only a symbol cmap (3,0):
  0xF041 -> g1, 0xF042 -> g2; and a (3,1) subtable for U+4E2D, U+6587 (so the
  symbol codes can be resolved to Unicode through the glyph).
"""
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import cmap_format_4


def box():
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 800)); pen.lineTo((900, 800)); pen.lineTo((900, 0)); pen.closePath()
    return pen.glyph()


def build(path, unicode_map, symbol_map):
    order = ['.notdef', 'g1', 'g2', 'g3']
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(unicode_map)
    fb.setupGlyf({n: box() for n in order})
    fb.setupHorizontalMetrics({n: (1000 if n != 'g3' else 600, 100) for n in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({'familyName': 'Mini', 'styleName': 'Regular'})
    fb.setupOS2()
    fb.setupPost(keepGlyphNames=False)
    if symbol_map:
        sub = cmap_format_4(4)
        sub.platformID, sub.platEncID, sub.language = 3, 0, 0
        sub.cmap = dict(symbol_map)
        fb.font['cmap'].tables.append(sub)
    fb.save(path)


build('mini-cjk.ttf', {0x4E2D: 'g1', 0x6587: 'g2', 0x2F00: 'g3', 0x4E00: 'g3'}, None)
build('mini-symbol.ttf', {0x4E2D: 'g1', 0x6587: 'g2'}, {0xF041: 'g1', 0xF042: 'g2'})

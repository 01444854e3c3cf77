/*
 * test-glyphs.h — laying out glyphs for extract's unit tests that build
 * tables and figures from text placed by hand.
 */
#ifndef KK_TEST_GLYPHS_H
#define KK_TEST_GLYPHS_H

#include <glib.h>

#include "extract/geom.h"
#include "extract/layout.h"

/* Appends glyphs of `text` from (x, y) to `glyphs`: CJK glyphs `size`
 * wide, others half, a space a quarter (and no glyph); each 1.3 `size`
 * tall.  Returns the x after the last one. */
static inline double put(GArray *glyphs, const char *text, double x, double y, double size)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    double w = kk_is_cjk(c) ? size : c == ' ' ? size / 4 : size / 2;
    if (c != ' ') {
      KkGlyph g = { { x, y, x + w, y + size * 1.3 }, c, (float)size, 0, 0, 0 };
      g_array_append_val(glyphs, g);
    }
    x += w;
  }
  return x;
}

#endif

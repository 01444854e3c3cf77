/*
 * pdf-fonts.cc — one GfxFont per font object for the whole document.
 *
 * Poppler 22.12 makes every font of a page's resources anew on every page:
 * the constructor of GfxResources builds a GfxFontDict, which calls
 * GfxFont::makeFont for each entry of /Font, reading the font dictionary,
 * its widths, its ToUnicode CMap and the header of its embedded font file;
 * all of it is freed when the page ends.  A 600-page budget book sets every
 * page in the same three or four fonts, and remaking them was a fifth of
 * the CPU of extract's Poppler pass (pdftotext pays the same).
 *
 * This file gives GfxResources a constructor of its own.  The executable's
 * definition of a symbol comes before libpoppler's in the dynamic linker's
 * search, and libpoppler calls the constructor through its PLT, so Gfx's
 * page and form resources are built here.  It does what Poppler's does
 * (Gfx.cc, GfxResources::GfxResources and GfxFontDict::GfxFontDict), except
 * that while a document is open for extract (kk_pdf_fonts_begin), a font
 * named through an indirect reference is made once and shared by every
 * page that names the same object under the same resource name.  Fonts are
 * immutable once made (text extraction only reads them), and GfxFontDict
 * holds them by shared_ptr, so a page's dictionary going away leaves the
 * cached font alive.  Inline fonts (no object number) are made per page,
 * as before.  Other documents (Poppler GLib's, the OCR module's) are not
 * cached: for them this constructor is Poppler's.
 *
 * The layout of GfxResources and GfxFontDict comes from the headers of the
 * very Poppler the program is built against (libpoppler-private-dev), and
 * libpoppler's own destructor frees what this constructor made.
 */
#include <Object.h> /* before Dict.h: Poppler's headers need this order */
#include <Dict.h>
#include <Error.h>
#include <Gfx.h>
#include <GfxFont.h>
#include <XRef.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "extract/pdf-fonts.h"

namespace {

/* A font is the same when it is the same object under the same resource
 * name (GfxFont keeps the name it was made under, and pages look fonts up
 * by it). */
struct FontKey {
  int num;
  int gen;
  std::string tag;
  bool operator<(const FontKey &o) const { return std::tie(num, gen, tag) < std::tie(o.num, o.gen, o.tag); }
};

/* Bound on the fonts kept for one document: past it, fonts are made per
 * page as Poppler does.  A font can hold half a megabyte (a 2-byte
 * ToUnicode map and CID-to-glyph map), and a hostile file can name a new
 * font on every page: 256 keep the cache under ~128 MB, far inside the
 * worker's memory limit.  The real documents seen use 1 to 40. */
const size_t MAX_CACHED_FONTS = 256;

/* The document whose fonts are shared (nullptr: none), and its fonts
 * (a null pointer for a font Poppler could not make, so it is not tried
 * again on every page). */
XRef *cached_xref = nullptr;
std::map<FontKey, std::shared_ptr<GfxFont>> *cached_fonts = nullptr;

/* Object ids for inline fonts, which have no object number of their own:
 * out of the range of real generations (< 100000), as Poppler's are, and
 * unique, so no two inline fonts are ever taken for one. */
int next_inline_id = 0;

unsigned long fonts_made = 0;

} // namespace

unsigned long kk_pdf_fonts_made(void)
{
  return fonts_made;
}

void kk_pdf_fonts_begin(XRef *xref)
{
  kk_pdf_fonts_end(cached_xref);
  cached_xref = xref;
  cached_fonts = new std::map<FontKey, std::shared_ptr<GfxFont>>();
}

void kk_pdf_fonts_end(XRef *xref)
{
  if (xref != cached_xref)
    return;
  delete cached_fonts;
  cached_fonts = nullptr;
  cached_xref = nullptr;
}

/* Poppler's GfxFontDict constructor (hidden inside libpoppler, so the one
 * GfxResources below calls is this one): one font per entry of the /Font
 * dictionary `fontDict`, null where the entry is not a font. */
GfxFontDict::GfxFontDict(XRef *xref, Ref *fontDictRef, Dict *fontDict)
{
  const bool sharing = cached_fonts != nullptr && xref == cached_xref;
  fonts.resize(fontDict->getLength());
  for (std::size_t i = 0; i < fonts.size(); ++i) {
    const Object &entry = fontDict->getValNF((int)i);
    const char *tag = fontDict->getKey((int)i);
    FontKey key;
    const bool cacheable = sharing && entry.isRef();
    if (cacheable) {
      key = { entry.getRef().num, entry.getRef().gen, tag };
      auto found = cached_fonts->find(key);
      if (found != cached_fonts->end()) {
        fonts[i] = found->second;
        continue;
      }
    }
    Object font = entry.fetch(xref);
    if (!font.isDict()) {
      error(errSyntaxError, -1, "font resource is not a dictionary");
      fonts[i] = nullptr;
      continue;
    }
    Ref id;
    if (entry.isRef()) {
      id = entry.getRef();
    } else if (fontDictRef) {
      /* as Poppler: the entry's place in a font dictionary that has an
       * object number */
      id.gen = 100000 + fontDictRef->num;
      id.num = (int)i;
    } else {
      id.gen = 100000;
      id.num = next_inline_id;
      next_inline_id = (next_inline_id + 1) & 0x3fffffff;
    }
    fonts[i] = GfxFont::makeFont(xref, tag, id, font.getDict());
    fonts_made++;
    if (fonts[i] && !fonts[i]->isOk())
      fonts[i].reset();
    if (cacheable && cached_fonts->size() < MAX_CACHED_FONTS)
      cached_fonts->emplace(std::move(key), fonts[i]);
  }
}

/* Poppler's GfxResources constructor, member for member; only the fonts
 * are made by the GfxFontDict above. */
GfxResources::GfxResources(XRef *xrefA, Dict *resDictA, GfxResources *nextA) : gStateCache(2), xref(xrefA)
{
  fonts = nullptr;
  if (resDictA) {
    /* looked up through this resources' xref, as Poppler does */
    Dict *resDict = resDictA->copy(xref);
    const Object &fontEntry = resDict->lookupNF("Font");
    if (fontEntry.isRef()) {
      Object fontDict = fontEntry.fetch(xref);
      if (fontDict.isDict()) {
        Ref r = fontEntry.getRef();
        fonts = new GfxFontDict(xref, &r, fontDict.getDict());
      }
    } else if (fontEntry.isDict()) {
      fonts = new GfxFontDict(xref, nullptr, fontEntry.getDict());
    }
    xObjDict = resDict->lookup("XObject");
    colorSpaceDict = resDict->lookup("ColorSpace");
    patternDict = resDict->lookup("Pattern");
    shadingDict = resDict->lookup("Shading");
    gStateDict = resDict->lookup("ExtGState");
    propertiesDict = resDict->lookup("Properties");
    delete resDict;
  } else {
    xObjDict.setToNull();
    colorSpaceDict.setToNull();
    patternDict.setToNull();
    shadingDict.setToNull();
    gStateDict.setToNull();
    propertiesDict.setToNull();
  }
  next = nextA;
}

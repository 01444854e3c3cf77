/*
 * pdf-fonts.h — fonts made once per document, not once per page
 * (pdf-fonts.cc says how and why).  The sharing is C++ (pdf-core.cc);
 * the count is for tests in C.
 */
#ifndef KK_EXTRACT_PDF_FONTS_H
#define KK_EXTRACT_PDF_FONTS_H

#ifdef __cplusplus
extern "C" {
#endif

/* How many fonts Poppler has been asked to make in this process
 * (GfxFont::makeFont calls): a font shared by many pages counts once. */
unsigned long kk_pdf_fonts_made(void);

#ifdef __cplusplus
}

class XRef;

/* From now until kk_pdf_fonts_end(), fonts that the pages of the document
 * with cross-reference table `xref` name by object number are made once
 * and shared by every page (at most 256 are kept; past that,
 * fonts are made per page).  Ends the sharing of any document before. */
void kk_pdf_fonts_begin(XRef *xref);

/* Frees the shared fonts of the document with cross-reference table
 * `xref` (none: no-op); its pages interpreted after this make their own.
 * Call before the document is freed. */
void kk_pdf_fonts_end(XRef *xref);
#endif

#endif

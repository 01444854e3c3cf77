/*
 * pdf-fonts.h — fonts made once per document, not once per page
 * (pdf-fonts.cc says how and why).  C++ only: used by pdf-core.cc.
 */
#ifndef KK_EXTRACT_PDF_FONTS_H
#define KK_EXTRACT_PDF_FONTS_H

class XRef;

/* From now until kk_pdf_fonts_end(), fonts that the pages of the document
 * with cross-reference table `xref` name by object number are made once
 * and shared by every page (at most a few thousand are kept; past that,
 * fonts are made per page).  Ends the sharing of any document before. */
void kk_pdf_fonts_begin(XRef *xref);

/* Frees the shared fonts of the document with cross-reference table
 * `xref` (none: no-op); its pages interpreted after this make their own.
 * Call before the document is freed. */
void kk_pdf_fonts_end(XRef *xref);

#endif

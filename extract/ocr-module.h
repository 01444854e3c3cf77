/*
 * ocr-module.h — what the OCR module (ocr-engine.c, built as
 * keikaku-ocr.so) gives ocr.c: one table of functions under the symbol
 * `kk_ocr_module`, whose contracts are those of kk_ocr_new(),
 * kk_ocr_free(), kk_ocr_read_page() and kk_ocr_page_to_json() in ocr.h.
 * The module calls back into keikaku (grids, pages, errors): the binary
 * exports its symbols (-rdynamic), and a module of another build is
 * refused by its ABI number.
 */
#ifndef KK_EXTRACT_OCR_MODULE_H
#define KK_EXTRACT_OCR_MODULE_H

#include "extract/ocr.h"

#define KK_OCR_MODULE_ABI 1
#define KK_OCR_MODULE_NAME "keikaku-ocr.so"

typedef struct {
  int abi; /* KK_OCR_MODULE_ABI */
  KkOcr *(*engine_new)(void);
  void (*engine_free)(KkOcr *ocr);
  KkOcrPage *(*read_page)(KkOcr *ocr, PopplerDocument *doc, guint page_no, const KkPageInk *ink,
                          KkLayout *layout, gint64 deadline, guint page_seconds, GError **error);
  void (*page_to_json)(const KkOcrPage *ocr_page, JsonObject *page);
} KkOcrModule;

#endif

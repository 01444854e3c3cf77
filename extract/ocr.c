/*
 * ocr.c — the OCR mode, and the door to the OCR engine (ocr-engine.c),
 * which is a module of its own, keikaku-ocr.so, opened with GModule on the
 * first page that needs it: Tesseract and Leptonica pull in some 70
 * shared libraries (curl, gnutls, krb5, libarchive ...) whose loading cost
 * every keikaku process 15 ms of CPU, more than extracting a small PDF.
 * The same module renders with Poppler GLib and cairo (render-module.c):
 * the document OCR reads and `keikaku review`'s crops, so that keikaku
 * links neither (ocr-module.h).
 */
#include "extract/ocr.h"
#include "extract/ocr-module.h"
#include "common/kk-error.h"

#include <gmodule.h>

gboolean kk_ocr_mode_parse(const char *s, KkOcrMode *mode)
{
  if (g_strcmp0(s, "auto") == 0)
    *mode = KK_OCR_AUTO;
  else if (g_strcmp0(s, "force") == 0)
    *mode = KK_OCR_FORCE;
  else if (g_strcmp0(s, "never") == 0)
    *mode = KK_OCR_NEVER;
  else
    return FALSE;
  return TRUE;
}

gboolean kk_ocr_wanted(KkOcrMode mode, KkPageContent content)
{
  switch (mode) {
  case KK_OCR_FORCE: return TRUE;
  case KK_OCR_NEVER: return FALSE;
  case KK_OCR_AUTO: return kk_page_content_needs_ocr(content);
  }
  return FALSE;
}

void kk_ocr_page_free(KkOcrPage *page)
{
  if (page == NULL)
    return;
  for (guint i = 0; page->words && i < page->words->len; i++)
    g_free(g_array_index(page->words, KkOcrWord, i).text);
  if (page->words)
    g_array_free(page->words, TRUE);
  if (page->hsegs)
    g_array_free(page->hsegs, TRUE);
  if (page->vsegs)
    g_array_free(page->vsegs, TRUE);
  g_free(page);
}

/* Where the module is looked for: $KEIKAKU_OCR_MODULE, else beside the
 * running binary (bin/keikaku-ocr.so next to bin/keikaku), else one
 * directory up (a test binary in build/asan/tests/). */
static char *module_path(guint which)
{
  const char *env = g_getenv("KEIKAKU_OCR_MODULE");
  if (env && *env)
    return which == 0 ? g_strdup(env) : NULL;
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  g_autofree char *dir = g_path_get_dirname(exe);
  if (which == 0)
    return g_build_filename(dir, KK_OCR_MODULE_NAME, NULL);
  if (which == 1)
    return g_build_filename(dir, "..", KK_OCR_MODULE_NAME, NULL);
  return NULL;
}

static const KkOcrModule *module;
static const KkRenderModule *render;
static char *module_why;

/* Opens the module once per process: both of its tables, or neither
 * (module_why says why: not found, or of another build). */
static void load_module(void)
{
  static gsize done = 0;
  if (g_once_init_enter(&done)) {
    g_autofree char *tried = NULL;
    for (guint i = 0; module == NULL && i < 2; i++) {
      g_autofree char *path = module_path(i);
      if (path == NULL)
        break;
      GModule *m = g_module_open(path, G_MODULE_BIND_LOCAL);
      gpointer sym = NULL, rsym = NULL;
      if (m == NULL) {
        g_free(tried);
        tried = g_strdup(g_module_error());
        continue;
      }
      if (!g_module_symbol(m, "kk_ocr_module", &sym) || ((const KkOcrModule *)sym)->abi != KK_OCR_MODULE_ABI
          || !g_module_symbol(m, "kk_render_module", &rsym)
          || ((const KkRenderModule *)rsym)->abi != KK_RENDER_MODULE_ABI) {
        g_free(tried);
        tried = g_strdup_printf("%s: not keikaku's OCR module of this build", path);
        g_module_close(m);
        continue;
      }
      g_module_make_resident(m);
      module = sym;
      render = rsym;
    }
    if (module == NULL)
      module_why = g_strdup(tried ? tried : "no path to look in");
    g_once_init_leave(&done, 1);
  }
}

const KkRenderModule *kk_render_module_get(GError **error)
{
  load_module();
  if (render == NULL)
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "the page renderer (%s) cannot be loaded: %s",
                KK_OCR_MODULE_NAME, module_why);
  return render;
}

struct _KkOcrReader {
  char *path;
  KkOcr *engine;         /* made on the first page */
  PopplerDocument *doc;  /* opened on the first page, by the module */
  gboolean started;
};

KkOcrReader *kk_ocr_reader_new(const char *path)
{
  KkOcrReader *r = g_new0(KkOcrReader, 1);
  r->path = g_strdup(path);
  return r;
}

void kk_ocr_reader_free(KkOcrReader *r)
{
  if (r == NULL)
    return;
  if (r->engine)
    module->engine_free(r->engine);
  if (r->doc)
    render->close(r->doc);
  g_free(r->path);
  g_free(r);
}

KkOcrPage *kk_ocr_read_page(KkOcrReader *r, guint page_no, const KkPageInk *ink,
                            KkLayout *layout, gint64 deadline, guint page_seconds, GError **error)
{
  if (!r->started) {
    r->started = TRUE;
    load_module();
    if (module != NULL)
      r->engine = module->engine_new();
  }
  if (r->engine == NULL) {
    if (module_why)
      g_set_error(error, KK_ERROR, KK_ERROR_NO_TEXT, "page %u has no text layer and the OCR engine (%s) cannot be loaded: %s",
                  page_no, KK_OCR_MODULE_NAME, module_why);
    else
      g_set_error(error, KK_ERROR, KK_ERROR_NO_TEXT, "page %u has no text layer and OCR is not available", page_no);
    return NULL;
  }
  if (r->doc == NULL) {
    g_autoptr(GError) e = NULL;
    r->doc = render->open(r->path, &e);
    if (r->doc == NULL) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: page %u cannot be rendered: %s", page_no,
                  e->message);
      return NULL;
    }
  }
  return module->read_page(r->engine, r->doc, page_no, ink, layout, deadline, page_seconds, error);
}

void kk_ocr_page_to_json(const KkOcrPage *ocr_page, JsonObject *page)
{
  if (module != NULL)
    module->page_to_json(ocr_page, page);
}

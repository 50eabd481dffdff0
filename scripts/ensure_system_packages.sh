#!/usr/bin/env bash
# Reading legacy Word (.doc) files and the PDF rendition tests need LibreOffice: the .doc
# reader converts through `soffice --headless --convert-to docx`, and the tests render
# each sample's Word file to a PDF with real ruled tables, which needs a CJK font. Calc
# writes the tests' .xls renditions (xlwt is not a dependency).
# Install both where we can (root with apt-get, as on CI and fresh machines of this
# project); otherwise say loudly what will be refused and skipped.
set -u
have_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }
if command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libsclo.so ] && have_font; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing LibreOffice Writer (headless) and a CJK font for .doc files and the PDF tests…"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk >/dev/null; then
    exit 0
  fi
fi
echo "======================================================================="
echo "WARNING: LibreOffice (soffice, Calc) or a CJK font is missing and could not"
echo "be installed here: legacy .doc uploads will be refused, and the PDF, .doc and"
echo ".xls rendition tests will be SKIPPED. Install them with:"
echo "  apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk"
echo "======================================================================="

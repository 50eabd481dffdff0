"""Every word the parser matches, as data: one module per kind of wording.

- `tables`: table titles, units, page furniture, column headers, row labels, the 三公 labels,
  the tables and sections a disclosure is expected to print;
- `prose`: section headings, the labels of figures in sentences, the verbs of change, the
  words of the explanation's small tables;
- `departments`: department names, their short forms and the places that print them;
- `indicators`: the columns and labels of performance-indicator tables.

Another province's wording is a line here, not a new branch in the code that reads.
"""

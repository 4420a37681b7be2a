"""The machinery that runs the rule families.

The rule catalogue and the two kinds of check (``registry``), running them over a run's
pages (``runner``) in worker processes while the crawl goes on (``background``), reusing
last night's link findings (``link_reuse``), one finding for a template-wide problem
(``template_wide``), the text helpers every family shares (``text``), what a link target's
answer means (``link_verdicts``) and the spelling check's word sources (``lexicon``).
Each module beside this folder is one family of rules.
"""

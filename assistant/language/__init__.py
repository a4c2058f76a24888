"""Chinese text as the indexes and the question reader see it: jieba words, character bigrams, stop words.

The lowest layer of the assistant: the store indexes with it, retrieval and answering read questions
with it; it imports nothing else of the assistant.
"""

"""The page: for now, the engine run on a word."""
import numpy as np
import streamlit as st

from rnnviz import Network
from rnnviz.text import Vocab, one_hot, tokenize


def main():
    st.title("rnnviz")
    text = st.text_input("Text", "hello")
    try:
        tokens = tokenize(text)
    except ValueError as e:
        st.error(str(e))
        return
    vocab = Vocab.build(tokens)
    x = one_hot(vocab.encode(tokens), len(vocab))[None]
    trace = Network.init("rnn_tanh", len(vocab), 8, batch_first=True).forward(x)
    st.write(f"output {trace.output.shape}, h_n {trace.h_n.shape}")
    st.dataframe(np.round(trace.output[0], 4))

"""The lessons' examples as one-click settings for the Explore view; each name is said by `preset.<id>` in the
catalogues."""
EXPLORE_PRESETS = {
    "hello": dict(text="hello", tok="char", enc="onehot", H=2, batch=False, bf=True, cell="rnn_tanh",
                               init="pytorch", scale=1.0, L=1, bi=False, out=False),
    "hello_batch": dict(text="hello\neolll\nlleel", tok="char", enc="onehot",
                                                               H=2, batch=True, bf=False, cell="rnn_tanh",
                                                               init="pytorch", scale=1.0, L=1, bi=False, out=False),
    "apple": dict(text="apple", tok="char", enc="onehot", H=5, batch=False, bf=True, cell="rnn_tanh",
                               init="pytorch", scale=1.0, L=1, bi=False, out=False),
    "vectors": dict(
        text="0.1, 0.2, 0.3, 0.4\n0.2, 0.3, 0.4, 0.5\n0.3, 0.4, 0.5, 0.6\n0.4, 0.5, 0.6, 0.7\n0.5, 0.6, 0.7, 0.8",
        tok="char", enc="numbers", H=6, batch=False, bf=True, cell="rnn_tanh", init="pytorch", scale=1.0, L=1,
        bi=False, out=True, O=1),
    "avengers": dict(
        text="We are going to watch Avengers End Game", tok="word", enc="embedding", I=5, H=20, batch=False,
        bf=True, cell="rnn_tanh", init="pytorch", scale=1.0, L=1, bi=False, out=False),
    "korean": dict(text="나는 오늘 학교에 간다", tok="char", enc="onehot", H=8,
                                                   batch=False, bf=True, cell="rnn_tanh", init="pytorch",
                                                   scale=1.0, L=1, bi=False, out=False),
    "saturation": dict(
        text="0123456789", tok="char", enc="random", I=4, H=8, batch=False, bf=True, cell="rnn_tanh",
        init="uniform", scale=1.0, L=1, bi=False, out=False),
    "deep": dict(text="0123456789", tok="char", enc="random", I=5, H=8, L=2,
                                                    bi=True, batch=False, bf=True, cell="rnn_tanh", init="pytorch",
                                                    scale=1.0, out=False),
}

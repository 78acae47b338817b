#!/usr/bin/python3
"""Writes two tiny Keras 2 (2.2.4 layout) Sequential models as HDF5 files, without Keras or TensorFlow.

Run with Debian's h5py (apt-get install python3-h5py; /usr/bin/python3 make_keras_models.py) in this folder.
  dense_softmax.h5: Dense(8, relu) <- 5 inputs, Dropout(0.5), Dense(3, softmax); categorical cross-entropy.
  conv_softmax.h5:  Conv2D(2, 3x3, relu) <- 6x6x1 (channels_last), MaxPooling2D(2), Flatten, Dense(3, softmax).
The layout is Keras 2's save_model: root attributes keras_version, backend, model_config (JSON of the Sequential model)
and training_config (loss and optimizer: DL4J turns the loss into a LossLayer after the last Dense); group
model_weights with attribute layer_names and, per layer, a group with attribute weight_names and datasets
'<layer>/kernel:0', '<layer>/bias:0'. Weights are seeded random float32 (Glorot-uniform-like kernels, small biases).
"""
import json

import h5py
import numpy as np

rng = np.random.RandomState(28)


def glorot(shape, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def initializer(name):
    return {"class_name": name, "config": {"seed": None} if name != "Zeros" else {}}


def dense(name, units, activation, input_dim=None):
    c = {"name": name, "trainable": True, "units": units, "activation": activation, "use_bias": True,
         "kernel_initializer": {"class_name": "VarianceScaling",
                                "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
         "bias_initializer": {"class_name": "Zeros", "config": {}},
         "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
         "kernel_constraint": None, "bias_constraint": None}
    if input_dim is not None:
        c["batch_input_shape"] = [None, input_dim]
        c["dtype"] = "float32"
    return {"class_name": "Dense", "config": c}


def write(path, layers, weights):
    """layers: Keras layer configs; weights: {layer name: [(weight name, array)]} (layers without weights omitted)."""
    model_config = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": layers}}
    training_config = {"optimizer_config": {"class_name": "SGD", "config": {"lr": 0.01, "momentum": 0.0, "decay": 0.0,
                                                                           "nesterov": False}},
                       "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
                       "loss_weights": None}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.string_("2.2.4")
        f.attrs["backend"] = np.string_("tensorflow")
        f.attrs["model_config"] = np.string_(json.dumps(model_config))
        f.attrs["training_config"] = np.string_(json.dumps(training_config))
        g = f.create_group("model_weights")
        g.attrs["keras_version"] = np.string_("2.2.4")
        g.attrs["backend"] = np.string_("tensorflow")
        names = [layer["config"]["name"] for layer in layers]
        g.attrs["layer_names"] = np.array([np.string_(n) for n in names])
        for n in names:
            lg = g.create_group(n)
            ws = weights.get(n, [])
            lg.attrs["weight_names"] = np.array([np.string_(n + "/" + w) for w, _ in ws], dtype="S")
            for w, a in ws:
                lg.create_dataset(n + "/" + w, data=a)


# Dense(8, relu) -> Dropout(0.5) -> Dense(3, softmax) on 5 inputs
write("dense_softmax.h5",
      [dense("dense_1", 8, "relu", input_dim=5),
       {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "rate": 0.5,
                                            "noise_shape": None, "seed": None}},
       dense("dense_2", 3, "softmax")],
      {"dense_1": [("kernel:0", glorot((5, 8), 5, 8)), ("bias:0", (0.1 * rng.randn(8)).astype(np.float32))],
       "dense_2": [("kernel:0", glorot((8, 3), 8, 3)), ("bias:0", (0.1 * rng.randn(3)).astype(np.float32))]})

# Conv2D(2, 3x3, relu) -> MaxPooling2D(2) -> Flatten -> Dense(3, softmax) on 6x6x1 images (channels_last)
conv = {"class_name": "Conv2D", "config": {
    "name": "conv2d_1", "trainable": True, "batch_input_shape": [None, 6, 6, 1], "dtype": "float32", "filters": 2,
    "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid", "data_format": "channels_last",
    "dilation_rate": [1, 1], "activation": "relu", "use_bias": True,
    "kernel_initializer": {"class_name": "VarianceScaling",
                           "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
    "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}
pool = {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d_1", "trainable": True, "pool_size": [2, 2],
                                                 "padding": "valid", "strides": [2, 2],
                                                 "data_format": "channels_last"}}
flatten = {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True, "data_format": "channels_last"}}
write("conv_softmax.h5", [conv, pool, flatten, dense("dense_1", 3, "softmax")],
      {"conv2d_1": [("kernel:0", glorot((3, 3, 1, 2), 9, 18)), ("bias:0", (0.1 * rng.randn(2)).astype(np.float32))],
       "dense_1": [("kernel:0", glorot((8, 3), 8, 3)), ("bias:0", (0.1 * rng.randn(3)).astype(np.float32))]})

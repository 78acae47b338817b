/** Training paths outside DL4J's gradient-array flow for the widest blocks: {@link io.github.widenet.sgd.InPlaceSgd}. */
package io.github.widenet.sgd;

/**
 * Public API: {@link io.github.widenet.lazy.LazyWrapper} — any DL4J classifier or regressor trained lazily,
 * α·(h(w) − h(w0)) on loss/α² (Chizat–Oyallon–Bach 2019).
 */
package io.github.widenet.lazy;

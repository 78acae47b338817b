/** Internal implementation (see {@link io.github.widenet.internal}); not part of the API. */
package io.github.widenet.internal.wrap;

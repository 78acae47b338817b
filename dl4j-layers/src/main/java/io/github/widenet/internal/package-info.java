/**
 * Internal: implementation packages (embedded networks and parameter layouts, tangent rules, parameter initialisers).
 * Not part of the API: they may change in any release. Users need only the public packages — {@code layers},
 * {@code layers.runtime}, {@code meanfield}, {@code lazy}, {@code linearized}, {@code ntk}, {@code diagnostics}, {@code loss}.
 */
package io.github.widenet.internal;

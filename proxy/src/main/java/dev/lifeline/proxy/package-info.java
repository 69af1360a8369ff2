/** The A2A proxy: forwards JSON-RPC calls to agents and turns their failures into clear answers. */
@NullMarked
package dev.lifeline.proxy;

import org.jspecify.annotations.NullMarked;

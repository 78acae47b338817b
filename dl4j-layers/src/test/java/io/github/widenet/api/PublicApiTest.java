package io.github.widenet.api;

import io.github.widenet.internal.wrap.ParamLayout;
import io.github.widenet.lazy.LazyLayer;
import io.github.widenet.lazy.LazyWrapper;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The library's public face, checked on its compiled classes: a public type outside {@code io.github.widenet.internal}
 * must not extend, implement, return, take or expose (public or protected) a type from {@code internal}.
 */
class PublicApiTest {

    private static final String INTERNAL = "io.github.widenet.internal.";

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** "type -> internal type" for every internal type in a public type's signature. */
    static Set<String> leaks(Path classes) throws Exception {
        Set<String> found = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path p : files) {
            String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.startsWith(INTERNAL) || name.contains("$$")) {
                continue;
            }
            Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            boolean reachable = Modifier.isPublic(c.getModifiers());
            for (Class<?> outer = c.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
                reachable &= Modifier.isPublic(outer.getModifiers());
            }
            if (!reachable || c.isAnonymousClass() || c.isSynthetic()) {
                continue;
            }
            found.addAll(leaksOf(c));
        }
        return found;
    }

    /** "type -> internal type" for every internal type that {@code c} extends, implements or shows (public/protected). */
    static Set<String> leaksOf(Class<?> c) {
        Set<String> found = new TreeSet<>();
        {
            String name = c.getName();
            List<Type> shown = new ArrayList<>();
            if (c.getGenericSuperclass() != null) {
                shown.add(c.getGenericSuperclass());
            }
            shown.addAll(List.of(c.getGenericInterfaces()));
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    shown.add(m.getGenericReturnType());
                    shown.addAll(List.of(m.getGenericParameterTypes()));
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    shown.addAll(List.of(k.getGenericParameterTypes()));
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    shown.add(f.getGenericType());
                }
            }
            for (Type t : shown) {
                if (t.getTypeName().contains(INTERNAL)) {
                    found.add(name + " -> " + t.getTypeName());
                }
            }
        }
        return found;
    }

    @Test
    void publicTypesShowNoInternalType() throws Exception {
        Path classes = Path.of(LazyWrapper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(Set.of(), leaks(classes), "public types showing internal types");
    }

    /** A public type that extends and returns internal types, to show the check sees both. */
    public abstract static class Leaky extends io.github.widenet.internal.wrap.EmbeddedNetworkRuntime<LazyLayer> {
        Leaky() {
            super(null, null);
        }

        public abstract ParamLayout layout();
    }

    @Test
    void theCheckSeesASuperclassAndAReturnType() {
        assertEquals(Set.of(Leaky.class.getName() + " -> " + io.github.widenet.internal.wrap.EmbeddedNetworkRuntime.class
                        .getName() + "<" + LazyLayer.class.getName() + ">",
                Leaky.class.getName() + " -> " + ParamLayout.class.getName()), leaksOf(Leaky.class));
    }
}

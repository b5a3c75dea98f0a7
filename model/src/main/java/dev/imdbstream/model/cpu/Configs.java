package dev.imdbstream.model.cpu;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.deeplearning4j.nn.conf.layers.Layer;

/** Copies a layer configuration into one of a related class (a subclass or its parent), field by field. */
final class Configs {

    private Configs() {
    }

    /**
     * Copies every instance field declared by {@code common} and its superclasses from {@code from} to {@code to}:
     * sizes, initialisation, updaters, regularization, dropout, name. Both must be instances of {@code common}.
     */
    static <T extends Layer> T copy(Layer from, T to, Class<? extends Layer> common) {
        if (!common.isInstance(from) || !common.isInstance(to)) {
            throw new IllegalArgumentException(from.getClass() + " and " + to.getClass() + " are not both " + common);
        }
        for (Class<?> c = common; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + f, e);
                }
            }
        }
        return to;
    }
}

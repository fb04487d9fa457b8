/** A moment in the viewer's locale and zone, or a dash when there is none. */
export const when = (d: Date | string | null | undefined) => (d ? new Date(d).toLocaleString() : '—');

import { useState } from 'react';

const SIZES = {
  thumb: 'h-12 w-12 flex-none rounded-lg',
  card: 'aspect-[4/3] w-full rounded-lg',
  hero: 'aspect-square w-full rounded-2xl sm:aspect-[4/3]',
} as const;

/**
 * The product's picture as the admin linked it, with its box reserved (no layout shift), loaded
 * lazily unless it is the page's main image; without one (or when it fails to load), a calm
 * placeholder with the product's initial instead of a broken-image icon.
 */
export function ProductImage({ src, alt, size, name, priority = false }: {
  src: string | null | undefined; alt: string; size: keyof typeof SIZES; name?: string; priority?: boolean;
}) {
  const [failed, setFailed] = useState(false);
  const box = `${SIZES[size]} overflow-hidden bg-surface-2`;
  if (!src || failed) {
    const initial = (name ?? alt).trim().charAt(0).toUpperCase() || '·';
    return (
      <div className={`${box} grid place-items-center bg-gradient-to-br from-surface-2 to-line`} role={alt ? 'img' : undefined}
        aria-label={alt || undefined} aria-hidden={alt ? undefined : true} data-testid="image-placeholder">
        <span className={`font-black text-muted ${size === 'thumb' ? 'text-lg' : 'text-6xl'}`} aria-hidden="true">{initial}</span>
      </div>
    );
  }
  return (
    <img src={src} alt={alt} className={`${box} object-contain`} loading={priority ? 'eager' : 'lazy'} decoding="async"
      width={size === 'thumb' ? 48 : 800} height={size === 'thumb' ? 48 : 600}
      sizes={size === 'hero' ? '(min-width: 768px) 480px, 100vw' : size === 'card' ? '(min-width: 640px) 480px, 100vw' : '48px'}
      {...(priority ? { fetchPriority: 'high' as const } : {})} onError={() => setFailed(true)} />
  );
}

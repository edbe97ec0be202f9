// Small line icons for the video pages' buttons (each button also has a text name for screen readers).

const common = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export const EnterFullscreenIcon = () => (
  <svg {...common}>
    <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
  </svg>
);

export const ExitFullscreenIcon = () => (
  <svg {...common}>
    <path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" />
  </svg>
);

export const SnapshotIcon = () => (
  <svg {...common}>
    <path d="M4 8h3l2-3h6l2 3h3v11H4z" />
    <circle cx="12" cy="13" r="3.5" />
  </svg>
);

const filled = { ...common, fill: 'currentColor', stroke: 'none' } as const;

export const PlayIcon = () => (
  <svg {...filled}>
    <path d="M7 4.5v15l12-7.5z" />
  </svg>
);

export const PauseIcon = () => (
  <svg {...filled}>
    <path d="M6 4.5h4v15H6zM14 4.5h4v15h-4z" />
  </svg>
);

export const PreviousIcon = () => (
  <svg {...filled}>
    <path d="M5 4.5h2.5v15H5zM20 4.5v15L8.5 12z" />
  </svg>
);

export const NextIcon = () => (
  <svg {...filled}>
    <path d="M16.5 4.5H19v15h-2.5zM4 4.5v15L15.5 12z" />
  </svg>
);

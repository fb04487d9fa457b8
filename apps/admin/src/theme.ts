import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * react-admin's theme with colours that read (WCAG AA, 4.5:1): its app bar's blue under white text
 * was 3.1:1, MUI's primary blue on the page's grey 4.4:1, white on its orange 3.1:1, and an empty
 * list's message was in the "disabled" grey on grey.
 */
export const backOfficeTheme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1565c0' },
    secondary: { light: '#5e92f3', main: '#1565c0', dark: '#003c8f', contrastText: '#fff' },
    // Status chips put white text on these.
    warning: { main: '#b45309', dark: '#8a3c00', contrastText: '#fff' },
    info: { main: '#01579b', contrastText: '#fff' },
  },
  components: {
    ...defaultTheme.components,
    RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { color: 'rgba(0, 0, 0, 0.6)' } } } },
  },
};
